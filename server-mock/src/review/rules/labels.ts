/**
 * Which names the script chose (headers, JSON keys, file names) a finding may
 * show, and how findings name a file.
 */

import type { ReviewConfig } from '../config';
import type { DisclosureIndex } from '../disclosure-index';
import { PLAIN_LABEL, type Labels } from '../documents';
import { identifiersIn, NOTHING } from './identifier-search';

/** No run of 5 or more digits in a shown name: an id cannot be spelled out over a few headers. */
const LONG_DIGITS = /\d{5,}/;

/**
 * Which script-controlled names (headers, JSON keys, file names) a finding may
 * show: at most 40 characters of [A-Za-z0-9_ .-], no run of 5 digits, and no
 * identifier or text of the data set in them, plain or encoded.
 */
export function reviewLabels(
  index: DisclosureIndex,
  config: ReviewConfig
): Labels {
  const memo = new Map<string, boolean>();
  return {
    safe(text: string): boolean {
      let safe = memo.get(text);
      if (safe === undefined) {
        safe =
          PLAIN_LABEL.test(text) &&
          !LONG_DIGITS.test(text) &&
          identifiersIn({ text, whole: true }, index, config) === NOTHING &&
          identifiersIn({ text, whole: false }, index, config) === NOTHING;
        if (memo.size < 100_000) {
          memo.set(text, safe);
        }
      }
      return safe;
    }
  };
}

/** A file as findings show it: its name when every part of it is safe, else "output file N". */
export function fileLabel(
  name: string,
  position: number,
  labels: Labels
): string {
  return name.split('/').every(part => labels.safe(part))
    ? name
    : `output file ${position}`;
}
