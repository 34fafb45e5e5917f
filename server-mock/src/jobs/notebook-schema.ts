import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema44 from './nbformat/v4.4.schema.json';
import schema45 from './nbformat/v4.5.schema.json';

/**
 * Whether a parsed notebook is an nbformat 4 document, by the nbformat
 * package's own JSON Schemas (./nbformat/): v4.5 for `nbformat_minor` 5 and
 * later, v4.4 before. A cell without an `id` is accepted under v4.5, as
 * nbformat's reader accepts it (it adds the id). The answer names the first
 * place that is wrong, e.g. `cells[2] is null, not a cell`.
 */

type Schema = Record<string, unknown> & {
  definitions: Record<string, { required?: string[] }>;
};

/** The schema without its draft-04 `$schema` (Ajv reads it as draft-07: it uses no keyword that differs). */
function prepare(source: unknown, optionalIds: boolean): Schema {
  const copy = JSON.parse(JSON.stringify(source)) as Schema;
  delete copy.$schema;
  if (optionalIds) {
    for (const definition of Object.values(copy.definitions)) {
      if (definition.required) {
        definition.required = definition.required.filter(key => key !== 'id');
      }
    }
  }
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true });
let ready = false;

/** The validator of a version's whole notebook, or of one of its definitions (`code_cell`). */
function validator(
  version: '4.4' | '4.5',
  definition?: string
): ValidateFunction {
  if (!ready) {
    ajv.addSchema(prepare(schema44, false), 'nbformat-4.4');
    ajv.addSchema(prepare(schema45, true), 'nbformat-4.5');
    ready = true;
  }
  const key = `nbformat-${version}${definition ? `#/definitions/${definition}` : ''}`;
  return ajv.getSchema(key)!;
}

/** `/cells/2/source` → `cells[2].source`. */
/**
 * A notebook's value in a message, never echoed whole: a notebook is any JSON,
 * a value nested thousands deep would overflow JSON.stringify (issue 18).
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > 40 ? `${value.slice(0, 37)}...` : value
    );
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value === null) {
    return 'null';
  }
  return typeof value === 'object' ? 'an object' : String(value);
}

function readablePath(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  let path = '';
  for (const part of parts) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(key) ? `[${key}]` : path ? `.${key}` : key;
  }
  return path || 'the notebook';
}

function valueAt(document: unknown, pointer: string): unknown {
  let value = document;
  for (const part of pointer.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part];
  }
  return value;
}

const CELL_TYPES = ['code', 'markdown', 'raw'];

function describe(error: ErrorObject): string {
  const where = readablePath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where} has no "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `${where} has an unknown key "${String(params.additionalProperty)}"`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

/** What is wrong with the notebook as nbformat 4, or null when the schema holds. */
export function nbformatProblem(notebook: object): string | null {
  const minor = (notebook as { nbformat_minor?: unknown }).nbformat_minor;
  const version = typeof minor === 'number' && minor >= 5 ? '4.5' : '4.4';
  const validate = validator(version);
  if (validate(notebook)) {
    return null;
  }
  const errors = validate.errors ?? [];
  // A cell matches none of raw, markdown and code: say which it meant to be and what it lacks.
  const cellError = errors.find(
    error =>
      error.keyword === 'oneOf' && /^\/cells\/\d+$/.test(error.instancePath)
  );
  if (cellError) {
    const where = readablePath(cellError.instancePath);
    const cell = valueAt(notebook, cellError.instancePath);
    if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) {
      return `${where} is ${cell === null ? 'null' : Array.isArray(cell) ? 'a list' : typeof cell}, not a cell: each cell is an object with a cell_type of code, markdown or raw`;
    }
    const type = (cell as { cell_type?: unknown }).cell_type;
    if (typeof type !== 'string' || !CELL_TYPES.includes(type)) {
      return `${where}.cell_type is ${type === undefined ? 'missing' : shownValue(type)}: it must be code, markdown or raw`;
    }
    const validateCell = validator(version, `${type}_cell`);
    if (!validateCell(cell) && validateCell.errors) {
      const [first] = validateCell.errors.filter(
        error => error.keyword !== 'oneOf'
      );
      const error = first ?? validateCell.errors[0];
      return describe({
        ...error,
        instancePath: `${cellError.instancePath}${error.instancePath}`
      });
    }
  }
  const first = errors.find(error => error.keyword !== 'oneOf') ?? errors[0];
  return first ? describe(first) : 'is not an nbformat 4 notebook';
}
