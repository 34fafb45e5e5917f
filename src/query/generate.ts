/**
 * The SDK cell of a query, in the style of the platform's guide
 * (docs/research/vce-getting-started.txt, "Example code"): built from its example, the
 * builder writes that example back character for character. Pure.
 */
import type { IQuery } from './model';
import { pythonString } from './python/literals';

/** How the cell shows the records: the guide's `print(data)`, or a rich table. */
export type ResultOutput = 'print' | 'display';

export interface IGenerateOptions {
  /** `print` (default, as in the guide) ends with `print(data)`; `display` with `data`. */
  output?: ResultOutput;
}

const INDENT = '    ';

function conditionsBlock(query: IQuery): string {
  if (query.groups.length === 0) {
    return 'condition_groups = []';
  }
  const groups = query.groups.map(group => {
    const conditions =
      group.conditions.length === 0
        ? `${INDENT.repeat(2)}"conditions": []`
        : [
            `${INDENT.repeat(2)}"conditions": [`,
            group.conditions
              .map(condition =>
                [
                  `${INDENT.repeat(3)}{`,
                  `${INDENT.repeat(4)}"field": ${pythonString(condition.field)},`,
                  `${INDENT.repeat(4)}"operator": ${pythonString(condition.operation.toLowerCase())},`,
                  `${INDENT.repeat(4)}"field_values": [${condition.values
                    .map(value => pythonString(value))
                    .join(', ')}]`,
                  `${INDENT.repeat(3)}}`
                ].join('\n')
              )
              .join(',\n'),
            `${INDENT.repeat(2)}]`
          ].join('\n');
    return [
      `${INDENT}{`,
      `${INDENT.repeat(2)}"operator": ${pythonString(group.operator)},`,
      conditions,
      `${INDENT}}`
    ].join('\n');
  });
  return ['condition_groups = [', groups.join(',\n'), ']'].join('\n');
}

/** The Python cell that runs `query` with the SDK (no trailing newline). */
export function generateCell(
  query: IQuery,
  options: IGenerateOptions = {}
): string {
  const output = options.output ?? 'print';
  return [
    'from pyrqs import rqs',
    '',
    `category = ${pythonString(query.category, "'")}`,
    conditionsBlock(query),
    `fields = ${pythonString(query.fields.join(','), "'")}`,
    `limit = ${query.limit}`,
    'client = rqs.RQSClient()',
    'data = client.query(',
    '            category=category, condition_groups=condition_groups, fields=fields, limit=limit)',
    output === 'print' ? 'print(data)' : 'data'
  ].join('\n');
}
