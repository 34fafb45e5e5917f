import type {
  Category,
  ConditionField,
  GroupOperator,
  Operation
} from './catalogue';

/**
 * The typed query that validation produces from a request body, and the
 * problems it reports instead: what the engine, the compiler and the paging
 * read. Types only.
 */

/**
 * Who is asking, by the token's scope: a researcher in the test stage (a
 * sample, charged to the quota) or a clean-room job (all records, paged). Not
 * a job's own stage (`JobStage` in jobs/model.ts: an execution or a test run).
 */
export type QueryStage = 'test' | 'job';

/** A time value as a half-open range of epoch seconds [from, to). */
export interface TimeRange {
  from: number;
  to: number;
}

export type Value = number | bigint | string | TimeRange;

export interface TypedCondition {
  field: string;
  spec: ConditionField;
  operation: Operation;
  values: Value[];
}

export interface TypedGroup {
  operator: GroupOperator;
  conditions: TypedCondition[];
}

export interface TypedQuery {
  category: Category;
  groups: TypedGroup[];
  fields: string[];
  limit: number;
  /** start_date/end_date as a create_time range, if given. */
  timeRange: TimeRange | null;
  /** Job stage paging: the opaque cursor as sent. */
  cursor: string | null;
}

export interface Problem {
  /** Where: a body key or a path such as `condition_groups[0].conditions[1].field_values[0]`. */
  field: string;
  operation?: string;
  value?: unknown;
  /** What is wrong and what is allowed. */
  message: string;
}

export type Validation =
  { ok: true; query: TypedQuery } | { ok: false; problems: Problem[] };
