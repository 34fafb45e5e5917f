/**
 * The arguments of a cell's client.query(…), once evaluated, into the query
 * model: category, condition groups, fields and limit, each checked against
 * what the builder writes, with a message naming where it is wrong. Pure.
 */
import { CATEGORIES, isCategory, QUERY_LIMITS } from './catalogue';
import type { ICondition, IConditionGroup, IQuery } from './model';
import { CellSyntaxError } from './python/tokens';
import type { Translate } from '../common/translate';

/** What an expression of the cell evaluates to. */
export type Value =
  | { kind: 'str'; value: string; line: number }
  | { kind: 'int'; value: bigint; line: number }
  | { kind: 'float'; text: string; line: number }
  | { kind: 'bool'; value: boolean; line: number }
  | { kind: 'none'; line: number }
  | { kind: 'list'; items: Value[]; line: number }
  | { kind: 'dict'; entries: [Value, Value][]; line: number }
  | { kind: 'module'; line: number }
  | { kind: 'client-class'; line: number }
  | { kind: 'client'; line: number }
  | { kind: 'result'; line: number }
  | { kind: 'builtin'; name: string; line: number };

export class QueryArguments {
  constructor(private readonly trans: Translate) {}

  category(value: Value): IQuery['category'] {
    if (value.kind !== 'str') {
      throw this.wrongType(
        'category',
        this.trans.__("a string such as 'video'"),
        value
      );
    }
    const name = value.value.trim().toLowerCase();
    if (!isCategory(name)) {
      throw new CellSyntaxError(
        this.trans.__(
          'category "%1" is not one of %2',
          value.value,
          CATEGORIES.join(', ')
        ),
        value.line
      );
    }
    return name;
  }

  groups(value: Value | undefined): IConditionGroup[] {
    if (value === undefined || value.kind === 'none') {
      return [];
    }
    if (value.kind !== 'list') {
      throw this.wrongType(
        'condition_groups',
        this.trans.__('a list of {"operator", "conditions"}'),
        value
      );
    }
    return value.items.map((item, index) => {
      const where = `condition_groups[${index}]`;
      const entries = this.dictEntries(item, where, ['operator', 'conditions']);
      const operator = entries.get('operator');
      if (!operator) {
        throw new CellSyntaxError(
          this.trans.__('%1 has no "operator" (and, or or not)', where),
          item.line
        );
      }
      if (operator.kind !== 'str') {
        throw this.wrongType(
          `${where}["operator"]`,
          this.trans.__('"and", "or" or "not"'),
          operator
        );
      }
      const conditions = entries.get('conditions');
      if (!conditions) {
        throw new CellSyntaxError(
          this.trans.__('%1 has no "conditions"', where),
          item.line
        );
      }
      if (conditions.kind !== 'list') {
        throw this.wrongType(
          `${where}["conditions"]`,
          this.trans.__('a list of conditions'),
          conditions
        );
      }
      return {
        operator: operator.value.trim().toLowerCase(),
        conditions: conditions.items.map((condition, at) =>
          this.condition(condition, `${where}["conditions"][${at}]`)
        )
      };
    });
  }

  private condition(value: Value, where: string): ICondition {
    const entries = this.dictEntries(value, where, [
      'field',
      'operator',
      'field_values'
    ]);
    const field = entries.get('field');
    const operator = entries.get('operator');
    const values = entries.get('field_values');
    for (const [key, found] of [
      ['field', field],
      ['operator', operator],
      ['field_values', values]
    ] as const) {
      if (!found) {
        throw new CellSyntaxError(
          this.trans.__('%1 has no "%2"', where, key),
          value.line
        );
      }
    }
    if (field!.kind !== 'str') {
      throw this.wrongType(
        `${where}["field"]`,
        this.trans.__('a field name in quotes'),
        field!
      );
    }
    if (operator!.kind !== 'str') {
      throw this.wrongType(
        `${where}["operator"]`,
        this.trans.__('an operation in quotes, e.g. "gte"'),
        operator!
      );
    }
    if (values!.kind !== 'list') {
      throw this.wrongType(
        `${where}["field_values"]`,
        this.trans.__('a list of strings, e.g. ["10"]'),
        values!
      );
    }
    return {
      field: field!.value,
      operation: operator!.value.trim().toUpperCase(),
      values: values!.items.map(item => {
        if (item.kind !== 'str') {
          throw new CellSyntaxError(
            this.trans.__(
              '%1["field_values"] holds %2; the SDK sends strings: write it in quotes, e.g. "10"',
              where,
              describe(item, this.trans)
            ),
            item.line
          );
        }
        return item.value;
      })
    };
  }

  private dictEntries(
    value: Value,
    where: string,
    keys: string[]
  ): Map<string, Value> {
    if (value.kind !== 'dict') {
      throw this.wrongType(where, this.trans.__('a dict {…}'), value);
    }
    const entries = new Map<string, Value>();
    for (const [key, item] of value.entries) {
      if (key.kind !== 'str' || !keys.includes(key.value)) {
        throw new CellSyntaxError(
          this.trans.__(
            '%1 has an unknown key %2: it takes %3',
            where,
            key.kind === 'str' ? `"${key.value}"` : describe(key, this.trans),
            keys.join(', ')
          ),
          key.line
        );
      }
      if (entries.has(key.value)) {
        throw new CellSyntaxError(
          this.trans.__('%1 has the key "%2" twice', where, key.value),
          key.line
        );
      }
      entries.set(key.value, item);
    }
    return entries;
  }

  fields(value: Value | undefined): string[] {
    if (value === undefined || value.kind === 'none') {
      return [];
    }
    const names =
      value.kind === 'str'
        ? value.value.split(',')
        : value.kind === 'list'
          ? value.items.map(item => {
              if (item.kind !== 'str') {
                throw this.wrongType(
                  'fields',
                  this.trans.__('field names in quotes'),
                  item
                );
              }
              return item.value;
            })
          : null;
    if (names === null) {
      throw this.wrongType(
        'fields',
        this.trans.__("a comma-separated string such as 'id,create_time'"),
        value
      );
    }
    return names.map(name => name.trim()).filter(name => name.length > 0);
  }

  limit(value: Value | undefined): number {
    if (value === undefined || value.kind === 'none') {
      return QUERY_LIMITS.test.defaultLimit;
    }
    if (value.kind !== 'int') {
      throw this.wrongType(
        'limit',
        this.trans.__('a whole number such as 10'),
        value
      );
    }
    if (
      value.value > BigInt(Number.MAX_SAFE_INTEGER) ||
      value.value < -BigInt(Number.MAX_SAFE_INTEGER)
    ) {
      throw new CellSyntaxError(
        this.trans.__('limit %1 is far too large', value.value.toString()),
        value.line
      );
    }
    return Number(value.value);
  }

  private wrongType(
    what: string,
    expected: string,
    value: Value
  ): CellSyntaxError {
    return new CellSyntaxError(
      this.trans.__(
        '%1 is %2; the builder reads %3',
        what,
        describe(value, this.trans),
        expected
      ),
      value.line
    );
  }
}

function describe(value: Value, trans: Translate): string {
  switch (value.kind) {
    case 'str':
      return trans.__('the string "%1"', value.value);
    case 'int':
      return trans.__('the number %1', value.value.toString());
    case 'float':
      return trans.__('the number %1', value.text);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return trans.__('a list');
    case 'dict':
      return trans.__('a dict');
    default:
      return trans.__('an SDK object');
  }
}
