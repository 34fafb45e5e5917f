import { CATALOGUE, type Category, type ReturnKind } from './catalogue';

/**
 * A record's JSON text built by SQLite itself (one string per row instead of
 * one JS value per column), for the execution stage's paging (./page-stream.ts).
 *
 * The text parses to exactly the record engine.ts's `toRecord` makes; a row
 * whose values SQLite would not write the same way (a real, a blob, an integer
 * beyond 2^53, a list that is not a JSON array of strings) gets no text (NULL),
 * and the caller builds that one record the old way. Absent values (NULL) are
 * omitted, like toRecord does (docs/research/research-api.md §2).
 */

/** The largest integer a JS number holds exactly: beyond it toRecord's value would round. */
const SAFE = '9007199254740991';

/** One field's SQL: `part` is `"name":value` or NULL (omitted); `plain` is 1 when `part` is exact for this row. */
interface FieldSql {
  part: string;
  plain: string | null;
}

function fieldSql(field: string, kind: ReturnKind): FieldSql {
  if (!/^[a-z_][a-z0-9_]*$/.test(field)) {
    throw new Error(`not a field name: ${field}`);
  }
  const x = `t.${field}`;
  const key = `'"${field}":'`;
  switch (kind) {
    case 'bool':
      // toRecord: value === 1 || value === true (a number 1, integer or real), any other present value is false.
      return {
        part: `CASE WHEN ${x} IS NULL THEN NULL WHEN typeof(${x}) IN ('integer', 'real') AND ${x} = 1 THEN ${key} || 'true' ELSE ${key} || 'false' END`,
        plain: null
      };
    case 'json_list':
      // toRecord: a string is JSON.parse'd and kept when non-empty; any other value is omitted.
      return {
        part: `CASE WHEN typeof(${x}) <> 'text' THEN NULL WHEN json_array_length(${x}) = 0 THEN NULL ELSE ${key} || json(${x}) END`,
        plain:
          `CASE WHEN typeof(${x}) <> 'text' THEN 1 WHEN ${x} = '[]' THEN 1 WHEN NOT json_valid(${x}) THEN 0 ` +
          `WHEN json_type(${x}) <> 'array' THEN 0 ` +
          `WHEN EXISTS (SELECT 1 FROM json_each(${x}) WHERE type <> 'text') THEN 0 ELSE 1 END`
      };
    default:
      // 'number' and 'string': the value as stored (an integer or a text); anything else the old way.
      return {
        part: `CASE typeof(${x}) WHEN 'integer' THEN ${key} || ${x} WHEN 'text' THEN ${key} || json_quote(${x}) END`,
        plain: `CASE typeof(${x}) WHEN 'null' THEN 1 WHEN 'text' THEN 1 WHEN 'integer' THEN ${x} BETWEEN -${SAFE} AND ${SAFE} ELSE 0 END`
      };
  }
}

/** The expression of a row's record JSON (NULL when the row must be built the old way). */
export function recordJsonSql(category: Category, fields: string[]): string {
  const returnable = CATALOGUE[category].returnable;
  const seen = new Set<string>();
  const parts: string[] = [];
  const plain: string[] = [];
  for (const field of fields) {
    if (!(field in returnable) || seen.has(field)) {
      continue; // toRecord: a field the table does not return is never present
    }
    seen.add(field);
    const sql = fieldSql(field, returnable[field]);
    parts.push(sql.part);
    if (sql.plain) {
      plain.push(`(${sql.plain})`);
    }
  }
  if (parts.length === 0) {
    return `'{}'`;
  }
  const body = `'{' || concat_ws(',', ${parts.join(', ')}) || '}'`;
  return plain.length === 0
    ? body
    : `CASE WHEN ${plain.join(' AND ')} THEN ${body} END`;
}
