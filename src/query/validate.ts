/**
 * Validation of a query before it becomes a cell: every rule the platform
 * applies (server-mock/src/query/validate.ts), plus the day's remaining quota.
 * Each problem says where it is, how bad it is and what to do. Pure.
 */
import {
  CATALOGUE,
  conditionField,
  GROUP_OPERATORS,
  isCategory,
  isSingleValued,
  OPERATIONS,
  QUERY_LIMITS,
  returnableFields
} from './catalogue';
import type { IQuery } from './model';
import { formatCount as count } from '../common/format';
import { plainTranslate, Translate } from '../common/translate';
import { checkValue } from './values';

/** Where a problem is. */
export type ProblemTarget =
  | { kind: 'category' }
  | { kind: 'groups' }
  | { kind: 'group'; group: number }
  | {
      kind: 'condition';
      group: number;
      condition: number;
      part: 'field' | 'operation' | 'values';
      /** The index of the value concerned, if one. */
      value?: number;
    }
  | { kind: 'fields'; field?: string }
  | { kind: 'limit' };

/** The rules, by name (tests and styling use them). */
export type ProblemRule =
  | 'unknown-category'
  | 'too-many-groups'
  | 'too-many-conditions'
  | 'no-conditions'
  | 'group-operator'
  | 'empty-group'
  | 'unknown-field'
  | 'unknown-operation'
  | 'operation-not-allowed'
  | 'no-values'
  | 'one-value'
  | 'too-many-values'
  | 'value-too-long'
  | 'bad-value'
  | 'no-fields'
  | 'unknown-return-field'
  | 'duplicate-field'
  | 'limit-range'
  | 'limit-over-quota';

export interface IProblem {
  rule: ProblemRule;
  /** Errors block inserting and running; warnings only inform. */
  severity: 'error' | 'warning';
  target: ProblemTarget;
  message: string;
}

export interface IValidateOptions {
  /** Records left of today's quota; null or absent when unknown (not signed in). */
  remaining?: number | null;
  /** When the quota resets, as the researcher reads it ("00:00 UTC (in 3 h 05 min)"), for the message. */
  resetText?: string | null;
  trans?: Translate;
}

/** Every problem of a query, in the order the panel shows them. */
export function validateQuery(
  query: IQuery,
  options: IValidateOptions = {}
): IProblem[] {
  const trans = options.trans ?? plainTranslate;
  const problems: IProblem[] = [];
  const add = (
    rule: ProblemRule,
    target: ProblemTarget,
    message: string,
    severity: 'error' | 'warning' = 'error'
  ) => problems.push({ rule, severity, target, message });

  if (!isCategory(query.category)) {
    add(
      'unknown-category',
      { kind: 'category' },
      trans.__(
        '"%1" is not a category; choose video, comment or user.',
        String(query.category)
      )
    );
    return problems;
  }
  const category = query.category;

  // Condition groups.
  if (query.groups.length > QUERY_LIMITS.maxConditionGroups) {
    add(
      'too-many-groups',
      { kind: 'groups' },
      trans.__(
        'There are %1 condition groups; the platform takes at most %2.',
        query.groups.length,
        QUERY_LIMITS.maxConditionGroups
      )
    );
  }
  const total = query.groups.reduce(
    (sum, group) => sum + group.conditions.length,
    0
  );
  if (total > QUERY_LIMITS.maxConditions) {
    add(
      'too-many-conditions',
      { kind: 'groups' },
      trans.__(
        'There are %1 conditions; the platform takes at most %2 in one query.',
        total,
        QUERY_LIMITS.maxConditions
      )
    );
  }
  if (query.groups.length === 0) {
    add(
      'no-conditions',
      { kind: 'groups' },
      trans.__('No conditions: the query samples all %1 records.', category),
      'warning'
    );
  }
  query.groups.forEach((group, g) => {
    if (!(GROUP_OPERATORS as readonly string[]).includes(group.operator)) {
      add(
        'group-operator',
        { kind: 'group', group: g },
        trans.__(
          'Group %1: "%2" is not a group operator; use and, or or not.',
          g + 1,
          group.operator
        )
      );
    }
    if (group.conditions.length === 0) {
      add(
        'empty-group',
        { kind: 'group', group: g },
        trans.__(
          'Group %1 has no conditions: add one, or remove the group.',
          g + 1
        )
      );
    }
    group.conditions.forEach((condition, c) => {
      const where = (
        part: 'field' | 'operation' | 'values',
        value?: number
      ): ProblemTarget => ({
        kind: 'condition',
        group: g,
        condition: c,
        part,
        ...(value === undefined ? {} : { value })
      });
      const field = conditionField(category, condition.field);
      if (!field) {
        add(
          'unknown-field',
          where('field'),
          condition.field
            ? trans.__(
                '"%1" is not a %2 condition field; choose one of %3.',
                condition.field,
                category,
                Object.keys(CATALOGUE[category].conditions).join(', ')
              )
            : trans.__('Choose the field this condition tests.')
        );
        return;
      }
      const operation = condition.operation;
      if (!(OPERATIONS as readonly string[]).includes(operation)) {
        add(
          'unknown-operation',
          where('operation'),
          trans.__(
            '"%1" is not an operation; %2 takes %3.',
            operation,
            condition.field,
            field.operations.join(', ')
          )
        );
        return;
      }
      if (!(field.operations as readonly string[]).includes(operation)) {
        add(
          'operation-not-allowed',
          where('operation'),
          trans.__(
            '%1 is not allowed on %2; it takes %3.',
            operation,
            condition.field,
            field.operations.join(', ')
          )
        );
        return;
      }
      const values = condition.values;
      if (values.length === 0) {
        add(
          'no-values',
          where('values'),
          trans.__('%1 %2 needs a value.', condition.field, operation)
        );
        return;
      }
      if (isSingleValued(operation) && values.length !== 1) {
        add(
          'one-value',
          where('values'),
          operation === 'EQ'
            ? trans.__(
                '%1 EQ takes exactly one value, not %2; use IN for several.',
                condition.field,
                values.length
              )
            : trans.__(
                '%1 %2 takes exactly one value, not %3.',
                condition.field,
                operation,
                values.length
              )
        );
        return;
      }
      if (values.length > QUERY_LIMITS.maxFieldValues) {
        add(
          'too-many-values',
          where('values'),
          trans.__(
            '%1 %2 has %3 values; the platform takes at most %4.',
            condition.field,
            operation,
            count(values.length),
            count(QUERY_LIMITS.maxFieldValues)
          )
        );
        return;
      }
      values.forEach((value, v) => {
        if (value.length > QUERY_LIMITS.maxValueLength) {
          add(
            'value-too-long',
            where('values', v),
            trans.__(
              '%1 %2: a value is longer than %3 characters.',
              condition.field,
              operation,
              count(QUERY_LIMITS.maxValueLength)
            )
          );
          return;
        }
        const message = checkValue(
          condition.field,
          field,
          operation,
          value,
          trans
        );
        if (message) {
          add(
            'bad-value',
            where('values', v),
            trans.__(
              '%1 %2 "%3": %4.',
              condition.field,
              operation,
              value,
              message
            )
          );
        }
      });
    });
  });

  // Fields to return.
  const returnable = returnableFields(category);
  if (query.fields.length === 0) {
    add(
      'no-fields',
      { kind: 'fields' },
      trans.__('Choose at least one field to return.')
    );
  }
  const seen = new Set<string>();
  for (const name of query.fields) {
    if (!returnable.includes(name)) {
      add(
        'unknown-return-field',
        { kind: 'fields', field: name },
        trans.__(
          '"%1" is not a %2 field to return; the fields are %3.',
          name,
          category,
          returnable.join(', ')
        )
      );
    } else if (seen.has(name)) {
      add(
        'duplicate-field',
        { kind: 'fields', field: name },
        trans.__('%1 is listed twice; the platform returns it once.', name),
        'warning'
      );
    }
    seen.add(name);
  }

  // Limit and quota.
  const max = QUERY_LIMITS.test.maxLimit;
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > max) {
    add(
      'limit-range',
      { kind: 'limit' },
      trans.__('The limit must be a whole number from 1 to %1.', count(max))
    );
  } else if (
    options.remaining !== undefined &&
    options.remaining !== null &&
    query.limit > options.remaining
  ) {
    add(
      'limit-over-quota',
      { kind: 'limit' },
      options.remaining > 0
        ? trans.__(
            'Only %1 records are left today: a sample of up to %2 could go over that, and the platform refuses such a query whole. Lower the limit to %1 or less%3.',
            count(options.remaining),
            count(query.limit),
            options.resetText
              ? trans.__(', or wait for the reset at %1', options.resetText)
              : ''
          )
        : trans.__(
            "Today's quota is used up%1.",
            options.resetText
              ? trans.__('; it resets at %1', options.resetText)
              : ''
          )
    );
  }
  return problems;
}

/** Whether any problem blocks running (or previewing) the query. */
export function hasErrors(problems: readonly IProblem[]): boolean {
  return problems.some(problem => problem.severity === 'error');
}

/**
 * Whether the query can be written into a cell: every error blocks it but a
 * limit over today's remaining quota (the cell may be run after the reset;
 * running it now is blocked by `hasErrors`).
 */
export function canInsert(problems: readonly IProblem[]): boolean {
  return !problems.some(
    problem =>
      problem.severity === 'error' && problem.rule !== 'limit-over-quota'
  );
}

/** The problems of one condition (for its row in the panel). */
export function conditionProblems(
  problems: readonly IProblem[],
  group: number,
  condition: number
): IProblem[] {
  return problems.filter(
    problem =>
      problem.target.kind === 'condition' &&
      problem.target.group === group &&
      problem.target.condition === condition
  );
}

/** The problems of one group itself (not of its conditions). */
export function groupProblems(
  problems: readonly IProblem[],
  group: number
): IProblem[] {
  return problems.filter(
    problem => problem.target.kind === 'group' && problem.target.group === group
  );
}

/** The problems of one kind of target. */
export function problemsOf(
  problems: readonly IProblem[],
  kind: 'category' | 'groups' | 'fields' | 'limit'
): IProblem[] {
  return problems.filter(problem => problem.target.kind === kind);
}
