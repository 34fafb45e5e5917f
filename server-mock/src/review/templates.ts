/**
 * Lines as templates: a line's fields (numbers, words, tokens, dates and
 * times) masked, leaving its punctuation. Lines a script printed in a loop
 * share a template; their fields at each place make the columns of a table
 * (the key-lines rule and folders of same-shaped text files read them so).
 */

/**
 * A date-time (`2024-01-03 13:47:12,123`, `03.01.2024 13:47`: a date and the
 * time after it are one value) or a time of day, read whole as one field
 * where a field starts with a digit.
 */
const DATE_TIME_AT =
  /(?:\d{4}-\d{2}-\d{2}|\d{2}[./-]\d{2}[./-]\d{4})[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?/y;
/** Characters between fields: spaces, , ; | = ( ) [ ] { } quotes, and a colon not followed by a digit. */
const SEPARATORS = new Set(' \t\r\n\f\v,;|=()[]{}"\'`');

/** Longest line read as a template (longer lines are text, not records of a loop). */
export const MAX_TEMPLATE_LINE = 1000;

export interface Templated {
  /** The line with each field replaced by `\u0000` and runs of spaces collapsed. */
  template: string;
  fields: string[];
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function separatorAt(line: string, at: number): boolean {
  const char = line[at];
  return (
    SEPARATORS.has(char) || (char === ':' && !isDigit(line.charCodeAt(at + 1)))
  );
}

/**
 * A line's fields and its template. A field is a date-time or a time of day,
 * or else a run of characters up to the next separator. (A scanner, not a
 * global regular expression: it runs on up to 100,000 lines a file.)
 */
export function templateOf(line: string): Templated {
  const fields: string[] = [];
  let template = '';
  let at = 0;
  while (at < line.length) {
    if (separatorAt(line, at)) {
      const char = line[at];
      if (!/\s/.test(char)) {
        template += char;
      } else if (template && !template.endsWith(' ')) {
        template += ' ';
      }
      at++;
      continue;
    }
    let end = -1;
    if (isDigit(line.charCodeAt(at))) {
      DATE_TIME_AT.lastIndex = at;
      if (DATE_TIME_AT.test(line)) {
        end = DATE_TIME_AT.lastIndex;
      }
    }
    if (end < 0) {
      end = at + 1;
      while (end < line.length && !separatorAt(line, end)) {
        end++;
      }
    }
    fields.push(line.slice(at, end));
    template += '\u0000';
    at = end;
  }
  return { template: template.trimEnd(), fields };
}
