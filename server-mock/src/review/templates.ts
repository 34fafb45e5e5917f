/**
 * Lines as templates: a line's fields (numbers, words, tokens, dates and
 * times) masked, leaving its punctuation. Lines a script printed in a loop
 * share a template; their fields at each place make the columns of a table
 * (the key-lines rule and folders of same-shaped text files read them so).
 */

/**
 * A field: a date-time (`2024-01-03 13:47:12,123`), a time of day, or a run
 * of characters other than spaces and the separators , ; | = ( ) [ ] { }
 * quotes and a colon not followed by a digit.
 */
const FIELD =
  /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?|(?:[^\s,;|=()[\]{}"'`:]|:(?=\d))+/g;

/** Longest line read as a template (longer lines are text, not records of a loop). */
export const MAX_TEMPLATE_LINE = 1000;

export interface Templated {
  /** The line with each field replaced by `\u0000` and runs of spaces collapsed. */
  template: string;
  fields: string[];
}

export function templateOf(line: string): Templated {
  const fields: string[] = [];
  let template = '';
  let last = 0;
  for (const match of line.matchAll(FIELD)) {
    template += line.slice(last, match.index).replace(/\s+/g, ' ');
    template += '\u0000';
    fields.push(match[0]);
    last = match.index + match[0].length;
  }
  template += line.slice(last).replace(/\s+/g, ' ');
  return { template: template.trim(), fields };
}
