import {
  CATALOGUE,
  CATEGORIES,
  GROUP_OPERATORS,
  OPERATIONS,
  QUERY_LIMITS,
  type Category,
  type ConditionField,
  type GroupOperator,
  type Operation
} from './catalogue';
import { parseDay, parseValue, show } from './condition-values';
import type {
  Problem,
  QueryStage,
  TimeRange,
  TypedCondition,
  TypedGroup,
  Validation,
  Value
} from './typed-query';

/**
 * A query request body → a typed query, or every problem found in it.
 * Pure: no database, no clock. Each problem names where it is (`field`), the
 * operation and value concerned, and what is allowed.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const BODY_KEYS = [
  'category',
  'condition_groups',
  'fields',
  'limit',
  'start_date',
  'end_date',
  'cursor'
];
function validateCondition(
  raw: unknown,
  where: string,
  spec: Record<string, ConditionField>,
  category: Category,
  problems: Problem[]
): TypedCondition | null {
  if (!isObject(raw)) {
    problems.push({
      field: where,
      value: raw,
      message: `${where} must be an object {"field", "operator", "field_values"}, not ${show(raw)}.`
    });
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (!['field', 'operator', 'field_values'].includes(key)) {
      problems.push({
        field: `${where}.${key}`,
        message: `${where} has an unknown key "${key}": a condition has field, operator and field_values.`
      });
    }
  }
  const fieldName = raw.field;
  const allowedFields = Object.keys(spec);
  if (typeof fieldName !== 'string') {
    problems.push({
      field: `${where}.field`,
      value: fieldName,
      message: `${where}.field must be a string naming a ${category} field: ${allowedFields.join(', ')}.`
    });
    return null;
  }
  const field = Object.hasOwn(spec, fieldName) ? spec[fieldName] : undefined;
  if (!field) {
    problems.push({
      field: `${where}.field`,
      value: fieldName,
      message: `"${fieldName}" is not a ${category} condition field; the fields are ${allowedFields.join(', ')}.`
    });
    return null;
  }
  const operatorRaw = raw.operator;
  const operation =
    typeof operatorRaw === 'string'
      ? (operatorRaw.trim().toUpperCase() as Operation)
      : null;
  if (!operation || !OPERATIONS.includes(operation)) {
    problems.push({
      field: `${where}.operator`,
      operation: String(operatorRaw),
      message: `${show(operatorRaw)} is not an operation; the operations are ${OPERATIONS.join(', ')} (any case).`
    });
    return null;
  }
  if (!field.operations.includes(operation)) {
    problems.push({
      field: `${where}.operator`,
      operation,
      message: `${operation} is not allowed on ${fieldName}; it takes ${field.operations.join(', ')}.`
    });
    return null;
  }
  const rawValues = raw.field_values;
  if (!Array.isArray(rawValues) || rawValues.length === 0) {
    problems.push({
      field: `${where}.field_values`,
      operation,
      value: rawValues,
      message: `${fieldName} ${operation} needs field_values: a non-empty list of strings, e.g. ["10"].`
    });
    return null;
  }
  if (rawValues.length > QUERY_LIMITS.maxFieldValues) {
    problems.push({
      field: `${where}.field_values`,
      operation,
      message: `${fieldName} ${operation} has ${rawValues.length} values; at most ${QUERY_LIMITS.maxFieldValues} are allowed.`
    });
    return null;
  }
  if (operation === 'EQ' && rawValues.length !== 1) {
    problems.push({
      field: `${where}.field_values`,
      operation,
      value: rawValues,
      message: `${fieldName} EQ takes exactly one value, not ${rawValues.length}; use IN for several.`
    });
    return null;
  }
  if (
    ['GT', 'GTE', 'LT', 'LTE'].includes(operation) &&
    rawValues.length !== 1
  ) {
    problems.push({
      field: `${where}.field_values`,
      operation,
      value: rawValues,
      message: `${fieldName} ${operation} takes exactly one value, not ${rawValues.length}.`
    });
    return null;
  }
  const values: Value[] = [];
  let bad = false;
  rawValues.forEach((rawValue, index) => {
    const at = `${where}.field_values[${index}]`;
    if (typeof rawValue !== 'string') {
      problems.push({
        field: at,
        operation,
        value: rawValue,
        message: `${fieldName} ${operation}: field_values are strings, not ${show(rawValue)}; write "${String(rawValue)}".`
      });
      bad = true;
      return;
    }
    if (rawValue.length > QUERY_LIMITS.maxValueLength) {
      problems.push({
        field: at,
        operation,
        message: `${fieldName} ${operation}: a value is longer than ${QUERY_LIMITS.maxValueLength} characters.`
      });
      bad = true;
      return;
    }
    const parsed = parseValue(fieldName, field, operation, rawValue);
    if (Array.isArray(parsed)) {
      problems.push({
        field: at,
        operation,
        value: rawValue,
        message: `${fieldName} ${operation} ${show(rawValue)}: ${parsed[0]}.`
      });
      bad = true;
      return;
    }
    values.push(parsed);
  });
  return bad ? null : { field: fieldName, spec: field, operation, values };
}

function validateFields(
  raw: unknown,
  category: Category,
  problems: Problem[]
): string[] {
  const returnable = Object.keys(CATALOGUE[category].returnable);
  let names: unknown[];
  if (typeof raw === 'string') {
    names = raw.split(',');
  } else if (Array.isArray(raw)) {
    names = raw;
  } else {
    problems.push({
      field: 'fields',
      value: raw,
      message: `fields is required: a comma-separated string or a list of ${category} fields (${returnable.join(', ')}).`
    });
    return [];
  }
  const fields: string[] = [];
  for (const name of names) {
    if (typeof name !== 'string') {
      problems.push({
        field: 'fields',
        value: name,
        message: `fields must hold strings, not ${show(name)}.`
      });
      continue;
    }
    const trimmed = name.trim();
    if (!trimmed) {
      continue;
    }
    if (!returnable.includes(trimmed)) {
      problems.push({
        field: 'fields',
        value: trimmed,
        message: `"${trimmed}" is not a ${category} field to return; the fields are ${returnable.join(', ')}.`
      });
    } else if (!fields.includes(trimmed)) {
      fields.push(trimmed);
    }
  }
  if (
    fields.length === 0 &&
    !problems.some(problem => problem.field === 'fields')
  ) {
    problems.push({
      field: 'fields',
      value: raw,
      message: `fields names no field; name at least one of ${returnable.join(', ')}.`
    });
  }
  return fields;
}

/** Check a query body for a stage (the limit's default and maximum differ). */
export function validateQuery(body: unknown, stage: QueryStage): Validation {
  const problems: Problem[] = [];
  if (!isObject(body)) {
    return {
      ok: false,
      problems: [
        {
          field: 'body',
          value: body,
          message:
            'The body must be a JSON object {"category", "condition_groups", "fields", "limit"}.'
        }
      ]
    };
  }
  for (const key of Object.keys(body)) {
    if (!BODY_KEYS.includes(key)) {
      problems.push({
        field: key,
        message: `"${key}" is not a query key; the keys are ${BODY_KEYS.join(', ')}.`
      });
    }
  }

  const categoryRaw = body.category;
  const category =
    typeof categoryRaw === 'string'
      ? (categoryRaw.trim().toLowerCase() as Category)
      : null;
  if (!category || !CATEGORIES.includes(category)) {
    problems.push({
      field: 'category',
      value: categoryRaw,
      message: `category ${show(categoryRaw)} is not one of ${CATEGORIES.join(', ')}.`
    });
    return { ok: false, problems };
  }
  const spec = CATALOGUE[category];

  const groups: TypedGroup[] = [];
  const groupsRaw = body.condition_groups ?? [];
  if (!Array.isArray(groupsRaw)) {
    problems.push({
      field: 'condition_groups',
      value: groupsRaw,
      message: 'condition_groups must be a list of {"operator", "conditions"}.'
    });
  } else if (groupsRaw.length > QUERY_LIMITS.maxConditionGroups) {
    problems.push({
      field: 'condition_groups',
      message: `There are ${groupsRaw.length} condition groups; at most ${QUERY_LIMITS.maxConditionGroups} are allowed.`
    });
  } else {
    const conditionsOf = (group: unknown): unknown[] =>
      isObject(group) && Array.isArray(group.conditions)
        ? group.conditions
        : [];
    const allConditions = groupsRaw.flatMap(conditionsOf);
    const total = allConditions.length;
    const totalValues = allConditions.reduce(
      (sum: number, condition) =>
        sum +
        (isObject(condition) && Array.isArray(condition.field_values)
          ? condition.field_values.length
          : 0),
      0
    );
    if (total > QUERY_LIMITS.maxConditions) {
      problems.push({
        field: 'condition_groups',
        message: `There are ${total} conditions; at most ${QUERY_LIMITS.maxConditions} are allowed in one query.`
      });
    } else if (totalValues > QUERY_LIMITS.maxTotalValues) {
      problems.push({
        field: 'condition_groups',
        message: `The conditions hold ${totalValues.toLocaleString('en-US')} field_values together; at most ${QUERY_LIMITS.maxTotalValues.toLocaleString('en-US')} are allowed in one query: split it into several queries.`
      });
    } else {
      groupsRaw.forEach((group, index) => {
        const where = `condition_groups[${index}]`;
        if (!isObject(group)) {
          problems.push({
            field: where,
            value: group,
            message: `${where} must be an object {"operator", "conditions"}.`
          });
          return;
        }
        for (const key of Object.keys(group)) {
          if (!['operator', 'conditions'].includes(key)) {
            problems.push({
              field: `${where}.${key}`,
              message: `${where} has an unknown key "${key}": a group has operator and conditions.`
            });
          }
        }
        const operator =
          typeof group.operator === 'string'
            ? (group.operator.trim().toLowerCase() as GroupOperator)
            : null;
        if (!operator || !GROUP_OPERATORS.includes(operator)) {
          problems.push({
            field: `${where}.operator`,
            operation: String(group.operator),
            message: `${show(group.operator)} is not a group operator; use and, or or not (any case).`
          });
        }
        if (!Array.isArray(group.conditions) || group.conditions.length === 0) {
          problems.push({
            field: `${where}.conditions`,
            value: group.conditions,
            message: `${where}.conditions must be a non-empty list of conditions.`
          });
          return;
        }
        const conditions = group.conditions
          .map((condition, at) =>
            validateCondition(
              condition,
              `${where}.conditions[${at}]`,
              spec.conditions as Record<string, ConditionField>,
              category,
              problems
            )
          )
          .filter(
            (condition): condition is TypedCondition => condition !== null
          );
        if (operator && GROUP_OPERATORS.includes(operator)) {
          groups.push({ operator, conditions });
        }
      });
    }
  }

  const fields = validateFields(body.fields, category, problems);

  const limits = QUERY_LIMITS[stage];
  let limit: number = limits.defaultLimit;
  if (body.limit !== undefined && body.limit !== null) {
    if (
      typeof body.limit !== 'number' ||
      !Number.isInteger(body.limit) ||
      body.limit < 1 ||
      body.limit > limits.maxLimit
    ) {
      problems.push({
        field: 'limit',
        value: body.limit,
        message: `limit ${show(body.limit)} is not allowed: use an integer from 1 to ${limits.maxLimit.toLocaleString('en-US')} (default ${limits.defaultLimit}).`
      });
    } else {
      limit = body.limit;
    }
  }

  let timeRange: TimeRange | null = null;
  const dates: Record<'start_date' | 'end_date', TimeRange | null> = {
    start_date: null,
    end_date: null
  };
  for (const key of ['start_date', 'end_date'] as const) {
    const raw = body[key];
    if (raw === undefined || raw === null) {
      continue;
    }
    if (!spec.timeColumn) {
      problems.push({
        field: key,
        value: raw,
        message: `${key} does not apply to ${category} records (they have no create_time).`
      });
      continue;
    }
    const day = typeof raw === 'string' ? parseDay(raw) : null;
    if (!day) {
      problems.push({
        field: key,
        value: raw,
        message: `${key} ${show(raw)} is not a real date: use "YYYYMMDD" (UTC).`
      });
    }
    dates[key] = day;
  }
  if (dates.start_date || dates.end_date) {
    timeRange = {
      from: dates.start_date?.from ?? 0,
      to: dates.end_date?.to ?? Number.MAX_SAFE_INTEGER
    };
    if (timeRange.to <= timeRange.from) {
      problems.push({
        field: 'end_date',
        value: body.end_date,
        message: `end_date ${show(body.end_date)} is before start_date ${show(body.start_date)}.`
      });
    }
  }

  let cursor: string | null = null;
  if (body.cursor !== undefined && body.cursor !== null) {
    if (stage !== 'job') {
      problems.push({
        field: 'cursor',
        value: body.cursor,
        message:
          'cursor pages the execution stage only; a test-stage query returns one random sample.'
      });
    } else if (typeof body.cursor !== 'string' || body.cursor.length > 200) {
      problems.push({
        field: 'cursor',
        value: body.cursor,
        message: 'cursor must be the string a previous page returned.'
      });
    } else {
      cursor = body.cursor;
    }
  }

  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    query: { category, groups, fields, limit, timeRange, cursor }
  };
}

/** Every problem in one message (the 400's `error.message`). */
export function describeProblems(problems: Problem[]): string {
  const shown = problems.slice(0, 10).map(problem => problem.message);
  const more =
    problems.length > 10 ? ` (and ${problems.length - 10} more)` : '';
  return `The query is not valid: ${shown.join(' ')}${more}`;
}
