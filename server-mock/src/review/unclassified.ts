import type { ReviewConfig } from './config';
import { jsonDepth, type Document } from './documents';
import { plural, type Finding } from './rules/findings';

/**
 * Fail closed on text the rules cannot classify (rule `unclassified`,
 * manual). The rules read tables, counts, statistics and prose; an allowed
 * type holding something else — an encoding, a packed structure, a file
 * that only looks like its extension — is not approved because no rule
 * fired: a reviewer looks at it. Precisely, a file (or log) is unclassified
 * when it has
 * - a control character (C0 other than tab, line feed, carriage return and
 *   form feed; DEL; C1), once ANSI colour and cursor sequences are removed;
 * - a run of `unclassifiedTokenChars` or more characters without a space
 *   (in a line, a CSV cell or a JSON string), unless the run is a bar or a
 *   rule drawn with one or two characters (`#####`, `█████`, `|---|---|`);
 * - a large share of symbols: at least `unclassifiedSymbolShare` of its
 *   visible characters, and at least 100 of them, are symbols, private-use,
 *   format (zero-width) or unassigned characters outside ASCII and outside
 *   the box-drawing and block characters of text charts;
 * - JSON nested deeper than `unclassifiedJsonDepth` levels (an aggregate's
 *   summary is a few levels deep; a trie or a packed record is not);
 * - CSV rows with more cells than the header, or more than 3 (and 10%) with
 *   fewer (a note or a total row under a table is fine).
 * Prose, markdown, JSON summaries and text bar charts have none of these.
 */

/** ANSI CSI sequences (colours, cursor moves) that honest progress output prints. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]/;
/** Characters a bar, a rule or a table border is drawn with. */
const DRAWING = /^[-=_|:+*#.~\u2500-\u259f\u25a0-\u25ff]+$/u;
const SYMBOL = /[\p{S}\p{Co}\p{Cf}\p{Cn}]/gu;
const TEXT_CHART =
  /[\u2500-\u259f\u25a0-\u25ff\u00b0\u00b1\u00d7\u00f7\u2190-\u2193\u2713\u2714\u2605\u2606]/gu;
const VISIBLE = /\S/gu;

function longToken(text: string, config: ReviewConfig): boolean {
  if (text.length < config.unclassifiedTokenChars) {
    return false;
  }
  // Split, not a `\\S{200,}` regexp: a run of megabytes overflows the
  // regexp's stack, and this is the rule that must name such a run.
  for (const token of text.split(/\s+/u)) {
    if (token.length < config.unclassifiedTokenChars) {
      continue;
    }
    const characters = new Set(token);
    if (
      characters.size > 3 ||
      ![...characters].every(character => DRAWING.test(character))
    ) {
      return true;
    }
  }
  return false;
}

/** Whether a row has a cell with a long token (a loop: every cell of a CSV comes here). */
function longCell(row: string[], config: ReviewConfig): boolean {
  for (let column = 0; column < row.length; column++) {
    const cell = row[column];
    if (
      cell.length >= config.unclassifiedTokenChars &&
      longToken(cell, config)
    ) {
      return true;
    }
  }
  return false;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

function symbolShare(text: string, config: ReviewConfig): boolean {
  // The ASCII symbols are exactly those not counted below: ASCII text has none that count.
  if (!NON_ASCII.test(text)) {
    return false;
  }
  const symbols =
    (text.match(SYMBOL)?.length ?? 0) - (text.match(TEXT_CHART)?.length ?? 0);
  // ASCII symbols (+ < = > | ~ ^ ` $) are table borders, operators and prices: not counted.
  const ascii = text.match(/[+<=>|~^`$]/g)?.length ?? 0;
  const counted = symbols - ascii;
  if (counted < 100) {
    return false;
  }
  const visible = text.match(VISIBLE)?.length ?? 0;
  return counted >= config.unclassifiedSymbolShare * visible;
}

export function unclassifiedFindings(
  file: string,
  extension: string,
  text: string,
  document: Document,
  config: ReviewConfig
): Finding[] {
  const reasons: string[] = [];
  if (CONTROL.test(text.includes('\x1b') ? text.replace(ANSI, '') : text)) {
    reasons.push('control characters');
  }
  if (extension === '.csv') {
    const table = document.tables[0];
    const width = table?.header.length ?? 0;
    // A note or a total under a table is narrower; cells beyond the header, or many short rows, are not a table.
    // (One loop over the rows: every row of a large CSV comes here.)
    let wider = 0;
    let narrower = 0;
    let long = table ? longCell(table.header, config) : false;
    for (const row of table?.rows ?? []) {
      if (row.length > width) {
        wider++;
      } else if (row.length < width) {
        narrower++;
      }
      long ||= longCell(row, config);
    }
    if (wider) {
      reasons.push(`${plural(wider, 'row')} with more cells than the header`);
    }
    if (narrower > Math.max(3, 0.1 * (table?.rows.length ?? 0))) {
      reasons.push(
        `${plural(narrower, 'row')} with fewer cells than the header`
      );
    }
    if (long) {
      reasons.push(
        `a cell with ${config.unclassifiedTokenChars} or more characters without a space`
      );
    }
  } else if (longToken(text, config)) {
    reasons.push(
      `a run of ${config.unclassifiedTokenChars} or more characters without a space`
    );
  }
  if (extension === '.json' && jsonDepth(text) > config.unclassifiedJsonDepth) {
    reasons.push(
      `JSON nested more than ${config.unclassifiedJsonDepth} levels deep`
    );
  }
  if (symbolShare(text, config)) {
    reasons.push(
      `${Math.round(config.unclassifiedSymbolShare * 100)}% or more of its characters are symbols`
    );
  }
  if (!reasons.length) {
    return [];
  }
  return [
    {
      rule: 'unclassified',
      severity: 'manual',
      file,
      location: null,
      message: `${file} is not the kind of output the rules can classify (${reasons.join('; ')}); an output no rule can read is not approved unchecked: a reviewer looks at it. Write results as plain tables, counts, statistics or prose.`
    }
  ];
}
