/**
 * Checks every caller's input before a route reads it: no string (value or
 * object key) holds a control character, and nothing is nested deeper than
 * any request of the contract needs. A NUL cuts SQLite's LIKE patterns and
 * FTS5 phrases short; a value nested thousands deep overflows JSON.stringify
 * when an error echoes it. Pure; iterative (a deep value cannot overflow it).
 */

/**
 * Control characters refused in every string: C0 but tab, line feed and
 * carriage return, and DEL. openapi.yaml's `PlainText` schema says the same
 * (test/openapi-control-characters.test.ts holds the two together).
 */
export const CONTROL_CHARACTER =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Deepest nesting of arrays and objects in a body (a query body needs 6). */
export const MAX_INPUT_DEPTH = 32;

export interface InputProblem {
  /** Where: a query key, or a path such as `condition_groups[0].operator`. */
  field: string;
  message: string;
}

const isPlainKey = (key: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  const shown = isPlainKey(key) ? key : JSON.stringify(key);
  return parent ? `${parent}.${shown}` : shown;
}

function controlProblem(
  text: string,
  field: string,
  what: string
): InputProblem | null {
  const match = CONTROL_CHARACTER.exec(text);
  if (!match) {
    return null;
  }
  const code = match[0].charCodeAt(0).toString(16).toUpperCase();
  return {
    field: field || 'body',
    message: `${field || 'the body'} ${what} a control character (U+${code.padStart(4, '0')}) at position ${match.index}: remove it; text may hold tab, line feed and carriage return, no other control character.`
  };
}

/**
 * The first problem in a parsed input (a body, the query string, the path
 * parameters), or null. `root` prefixes the paths ('' for a body's keys).
 */
export function inputProblem(value: unknown, root = ''): InputProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 }
  ];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const problem = controlProblem(item.value, item.path, 'contains');
      if (problem) {
        return problem;
      }
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) {
      continue;
    }
    if (item.depth >= MAX_INPUT_DEPTH) {
      return {
        field: item.path || 'body',
        message: `${item.path || 'the body'} is nested deeper than ${MAX_INPUT_DEPTH} levels of lists and objects; no request of the platform needs that many: send a flatter value.`
      };
    }
    const entries: [string | number, unknown][] = Array.isArray(item.value)
      ? item.value.map((child, index) => [index, child])
      : Object.entries(item.value);
    // Reversed onto the stack, so the first problem in reading order is found first.
    for (let at = entries.length - 1; at >= 0; at -= 1) {
      const [key, child] = entries[at];
      if (typeof key === 'string') {
        const problem = controlProblem(
          key,
          item.path || 'the body',
          'has a key that contains'
        );
        if (problem) {
          return problem;
        }
      }
      stack.push({
        value: child,
        path: childPath(item.path, key),
        depth: item.depth + 1
      });
    }
  }
  return null;
}

/**
 * A key given twice in a query string or a form (`?status=a&status=b`) is
 * parsed as a list where every route reads one string: refuse it, naming the
 * key (a route that takes several values takes them comma-separated).
 */
export function repeatedKeyProblem(
  fields: unknown,
  where: 'query' | 'form'
): InputProblem | null {
  if (typeof fields !== 'object' || fields === null) {
    return null;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) {
      return {
        field: key,
        message: `${key} is given ${value.length} times in the ${where === 'query' ? 'query string' : 'form'}: give it once (where several values are taken, separate them with commas).`
      };
    }
  }
  return null;
}
