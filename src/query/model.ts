/**
 * The query as the builder and the SDK cell know it: a category, condition
 * groups, the fields to return and a limit. Plain data (no ids, no DOM), in a
 * canonical form: category and group operators in lower case, operations in
 * upper case, values as the strings the SDK sends.
 */
import type { QueryRequest } from '../api/types';
import type { Category } from './catalogue';

export interface ICondition {
  /** A condition field of the category, e.g. `like_count`. */
  field: string;
  /** `EQ`, `IN`, `GT`, `GTE`, `LT`, `LTE`, `LIKE` or `CONTAINS` (upper case). */
  operation: string;
  /** The values, as strings (the SDK's `field_values`). */
  values: string[];
}

export interface IConditionGroup {
  /** `and`, `or` or `not` (lower case). */
  operator: string;
  conditions: ICondition[];
}

export interface IQuery {
  category: Category;
  groups: IConditionGroup[];
  /** The fields to return, in order. */
  fields: string[];
  limit: number;
}

/** The SDK's request for a query, exactly as the generated cell sends it. */
export function toRequestBody(
  query: IQuery,
  limit = query.limit
): QueryRequest {
  return {
    category: query.category,
    condition_groups: query.groups.map(group => ({
      operator: group.operator,
      conditions: group.conditions.map(condition => ({
        field: condition.field,
        operator: condition.operation.toLowerCase(),
        field_values: [...condition.values]
      }))
    })),
    fields: query.fields.join(','),
    limit
  };
}
