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

/** What the table's schema promises about a column (SQLite enforces NOT NULL, not the type). */
export interface ColumnInfo {
  /** The declared type's affinity: 'integer', 'text' or another ('other'). */
  affinity: 'integer' | 'text' | 'other';
  notNull: boolean;
  /** The INTEGER PRIMARY KEY: always an integer. */
  rowid: boolean;
}

/** SQLite's affinity rules (https://sqlite.org/datatype3.html §3.1) on a declared type. */
function affinityOf(declared: string): ColumnInfo['affinity'] {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(type)) return 'text';
  return 'other';
}

/** The columns of a table as its schema declares them. */
export function columnsOf(
  db: { pragma(source: string): unknown },
  table: string
): Map<string, ColumnInfo> {
  const rows = db.pragma(`table_info(${table})`) as {
    name: string;
    type: string;
    notnull: number;
    pk: number;
  }[];
  const integerKey =
    rows.filter(row => row.pk > 0).length === 1 &&
    rows.some(row => row.pk > 0 && row.type.toUpperCase() === 'INTEGER');
  return new Map(
    rows.map(row => [
      row.name,
      {
        affinity: affinityOf(row.type),
        notNull: row.notnull === 1,
        rowid: integerKey && row.pk > 0
      }
    ])
  );
}

/**
 * One field's SQL: `value` is the JSON of the value (NULL when the value is
 * omitted); `guard` (if any) is true when `value` is exact for this row;
 * `nullable` says whether `value` can be NULL.
 */
interface FieldSql {
  value: string;
  guard: string | null;
  nullable: boolean;
}

function fieldSql(
  field: string,
  kind: ReturnKind,
  column: ColumnInfo | undefined
): FieldSql {
  if (!/^[a-z_][a-z0-9_]*$/.test(field)) {
    throw new Error(`not a field name: ${field}`);
  }
  const x = `t.${field}`;
  const notNull = column?.notNull ?? false;
  switch (kind) {
    case 'bool': {
      // toRecord: value === 1 || value === true (a number 1, integer or real), any other present value is false.
      const value = `CASE WHEN typeof(${x}) IN ('integer', 'real') AND ${x} = 1 THEN 'true' ELSE 'false' END`;
      return notNull
        ? { value, guard: null, nullable: false }
        : {
            value: `CASE WHEN ${x} IS NULL THEN NULL ELSE ${value} END`,
            guard: null,
            nullable: true
          };
    }
    case 'json_list':
      // toRecord: a string is JSON.parse'd and kept when non-empty; any other value is omitted.
      return {
        value: `CASE WHEN typeof(${x}) <> 'text' THEN NULL WHEN json_array_length(${x}) = 0 THEN NULL ELSE json(${x}) END`,
        guard:
          // A stored escape (\u0041, \/) is kept by json() where JSON.stringify writes the character: the old way.
          `CASE WHEN typeof(${x}) <> 'text' THEN 1 WHEN ${x} = '[]' THEN 1 WHEN instr(${x}, char(92)) > 0 THEN 0 ` +
          `WHEN NOT json_valid(${x}) THEN 0 ` +
          `WHEN json_type(${x}) <> 'array' THEN 0 ` +
          `WHEN EXISTS (SELECT 1 FROM json_each(${x}) WHERE type <> 'text') THEN 0 ELSE 1 END`,
        nullable: true
      };
    default:
      // 'number' and 'string': the value as stored, when it is what the column declares.
      if (column?.rowid) {
        return {
          value: x,
          guard: `${x} BETWEEN -${SAFE} AND ${SAFE}`,
          nullable: false
        };
      }
      if (column?.affinity === 'integer') {
        const exact = `typeof(${x}) = 'integer' AND ${x} BETWEEN -${SAFE} AND ${SAFE}`;
        return notNull
          ? { value: x, guard: exact, nullable: false }
          : { value: x, guard: `(${x} IS NULL OR (${exact}))`, nullable: true };
      }
      if (column?.affinity === 'text') {
        return notNull
          ? {
              value: `json_quote(${x})`,
              guard: `typeof(${x}) = 'text'`,
              nullable: false
            }
          : {
              value: `CASE WHEN ${x} IS NOT NULL THEN json_quote(${x}) END`,
              guard: `(${x} IS NULL OR typeof(${x}) = 'text')`,
              nullable: true
            };
      }
      return {
        value: `CASE typeof(${x}) WHEN 'integer' THEN ${x} WHEN 'text' THEN json_quote(${x}) END`,
        guard: `(CASE typeof(${x}) WHEN 'null' THEN 1 WHEN 'text' THEN 1 WHEN 'integer' THEN ${x} BETWEEN -${SAFE} AND ${SAFE} ELSE 0 END)`,
        nullable: true
      };
  }
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The expression of a row's record JSON (NULL when the row must be built the old way). */
export function recordJsonSql(
  category: Category,
  fields: string[],
  columns: Map<string, ColumnInfo> = new Map()
): string {
  const returnable = CATALOGUE[category].returnable;
  const seen = new Set<string>();
  const parts: (FieldSql & { key: string })[] = [];
  for (const field of fields) {
    if (!(field in returnable) || seen.has(field)) {
      continue; // toRecord: a field the table does not return is never present
    }
    seen.add(field);
    parts.push({
      ...fieldSql(field, returnable[field], columns.get(field)),
      key: JSON.stringify(field)
    });
  }
  if (parts.length === 0) {
    return `'{}'`;
  }
  const guards = parts.flatMap(part => (part.guard ? [part.guard] : []));
  let body: string;
  if (parts.some(part => part.nullable)) {
    // An omitted value is NULL: concat_ws leaves it out, with its comma.
    body = `'{' || concat_ws(',', ${parts.map(part => `${literal(`${part.key}:`)} || ${part.value}`).join(', ')}) || '}'`;
  } else {
    body = parts
      .map(
        (part, index) =>
          `${literal(`${index === 0 ? '{' : ','}${part.key}:`)} || ${part.value}`
      )
      .join(' || ');
    body = `${body} || '}'`;
  }
  return guards.length === 0
    ? body
    : `CASE WHEN ${guards.join(' AND ')} THEN ${body} END`;
}
