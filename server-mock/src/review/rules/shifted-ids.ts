/**
 * Ids under a constant offset or XOR (`id + 12345`, `id ^ 0x5DEECE66D`,
 * `datetime.fromtimestamp(id - 7100000000000000)`), or with their last
 * digits dropped (`id // 1000`): every value of a column
 * or sequence is an id of the data set once one constant is taken off. The
 * constant is found exactly by matching against the known ids: the
 * difference (or XOR) of two output values is the difference (or XOR) of two
 * ids, so one scan of the sorted ids lists the few pairs of ids that far
 * apart, each pair gives one candidate constant, and a candidate is kept
 * when it maps most of a sample of the sequence's values onto ids. Cost: one
 * linear scan of the ids per sequence tested, a bounded number per file.
 */

import type { ReviewConfig } from '../config';
import { dateTimeEpoch } from '../decodes';
import type { DisclosureIndex } from '../disclosure-index';
import { columnLabel, type Document, type Labels } from '../documents';
import type { Pacer } from '../pacer';
import { isCsvDocument } from './decodes';
import { tablePlace, type Finding } from './findings';

/** Values of a sequence sampled for the test (evenly over its sorted distinct values). */
const SAMPLE = 48;
/** Share of the sample a constant must map onto ids. */
const MATCH_SHARE = 0.8;
/** Candidate constants tried per pair of values. */
const MAX_CANDIDATES = 256;
/** Sequences tested per file, the largest first. */
const MAX_SEQUENCES = 6;
/** Values read per sequence (enough for the sample and the share of distinct values). */
const MAX_VALUES = 20_000;
/**
 * Numbers read from a file's values and lines in all (its table columns are
 * bounded by `MAX_VALUES` each): a 15 MB line of 16-digit numbers holds
 * 900,000, each its own "n-th number of the line" sequence. A platform
 * choice, five times a full sequence; the numbers after it are not tested.
 */
const MAX_FILE_NUMBERS = 100_000;
const EXACT = 2n ** 53n;
const INTEGER = /^\s*-?\d{1,20}\s*$/;
const DATE_TIME_START = /^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/;
const NUMBER_IN_LINE = /(?<![\w.])-?\d{6,20}(?![\w.])/g;

interface Sequence {
  place: string;
  column: string | null;
  values: bigint[];
  dates: boolean;
}

/** A cell or value as an integer: the integer itself, or a date-time's seconds (or microseconds) since 1970. */
function integerOf(text: string): { value: bigint; date: boolean } | null {
  if (INTEGER.test(text)) {
    return { value: BigInt(text.trim()), date: false };
  }
  if (DATE_TIME_START.test(text)) {
    const epoch = dateTimeEpoch(text);
    return epoch ? { value: BigInt(epoch.value), date: true } : null;
  }
  return null;
}

async function sequences(
  document: Document,
  labels: Labels,
  pacer: Pacer
): Promise<Sequence[]> {
  const found: Sequence[] = [];
  for (const table of document.tables) {
    if (table.inferred) {
      continue;
    }
    const rows = table.rows.slice(0, MAX_VALUES);
    for (let column = 0; column < table.header.length; column++) {
      const sequence: Sequence = {
        place: `${tablePlace(table)}${columnLabel(table.header, column, labels)}`,
        column: `${tablePlace(table)}${columnLabel(table.header, column, labels)}`,
        values: [],
        dates: false
      };
      for (const row of rows) {
        const value = integerOf(row[column] ?? '');
        if (value) {
          sequence.values.push(value.value);
          sequence.dates ||= value.date;
        }
      }
      found.push(sequence);
      await pacer.tick(rows.length + 1);
    }
  }
  // A CSV's values are its table's cells, read above.
  if (isCsvDocument(document)) {
    return found;
  }
  const groups = new Map<string, Sequence>();
  const sequenceOf = (key: string, place: string) => {
    let sequence = groups.get(key);
    if (!sequence) {
      sequence = { place, column: null, values: [], dates: false };
      groups.set(key, sequence);
    }
    return sequence;
  };
  let read = 0;
  for (const value of document.values) {
    if (read > MAX_FILE_NUMBERS) {
      break;
    }
    await pacer.tick();
    if (value.cell) {
      continue;
    }
    if (value.whole) {
      // A JSON value: its array's items (or the same key of an array's objects) are one sequence.
      const integer = integerOf(value.text);
      if (integer) {
        const key = value.location.replace(/\[\d+\]/g, '[]');
        const sequence = sequenceOf(key, key);
        read++;
        if (sequence.values.length < MAX_VALUES) {
          sequence.values.push(integer.value);
          sequence.dates ||= integer.date;
        }
      }
      continue;
    }
    // A line: the n-th long number of each line is one sequence, and so are date-times.
    let position = 0;
    const numbers = /\d{6}/.test(value.text)
      ? value.text.matchAll(NUMBER_IN_LINE)
      : [];
    for (const match of numbers) {
      if (++read > MAX_FILE_NUMBERS) {
        break;
      }
      await pacer.tick();
      const sequence = sequenceOf(
        `line number ${position}`,
        `the lines' number ${position + 1}`
      );
      position++;
      if (sequence.values.length < MAX_VALUES) {
        sequence.values.push(BigInt(match[0]));
      }
    }
    if (
      value.text.includes(':') &&
      /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(value.text)
    ) {
      const epoch = dateTimeEpoch(value.text);
      if (epoch) {
        const sequence = sequenceOf('line date', "the lines' date-times");
        sequence.dates = true;
        if (sequence.values.length < MAX_VALUES) {
          sequence.values.push(BigInt(epoch.value));
        }
      }
    }
  }
  return [...found, ...groups.values()];
}

/** Sorted distinct values, when there are enough and they are mostly distinct (a key, not a measure). */
function sampleOf(values: bigint[], minValues: number): bigint[] | null {
  const distinct = [...new Set(values)].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0
  );
  if (distinct.length < minValues || distinct.length < values.length / 2) {
    return null;
  }
  if (distinct.length <= SAMPLE) {
    return distinct;
  }
  return Array.from(
    { length: SAMPLE },
    (_, i) => distinct[Math.floor((i * (distinct.length - 1)) / (SAMPLE - 1))]
  );
}

function mapsOntoIds(
  sample: bigint[],
  undo: (value: bigint) => bigint,
  index: DisclosureIndex
): boolean {
  let hits = 0;
  for (const value of sample) {
    const id = undo(value);
    if (id > 0n && id < EXACT && index.hasId(Number(id))) {
      hits++;
    }
  }
  return hits >= Math.max(3, MATCH_SHARE * sample.length);
}

/** The pair of neighbouring sample values closest together by `distance`. */
function closestPair(
  sample: bigint[],
  distance: (a: bigint, b: bigint) => bigint
): { at: number; gap: number } | null {
  let best: { at: number; gap: bigint } | null = null;
  for (let i = 0; i + 1 < sample.length; i++) {
    const gap = distance(sample[i], sample[i + 1]);
    if (gap > 0n && gap < EXACT && (!best || gap < best.gap)) {
      best = { at: i, gap };
    }
  }
  return best ? { at: best.at, gap: Number(best.gap) } : null;
}

/** A constant c with value − c an id for most values (c ≠ 0), or null. */
function offsetOf(sample: bigint[], index: DisclosureIndex): bigint | null {
  const pair = closestPair(sample, (a, b) => b - a);
  if (!pair) {
    return null;
  }
  const ids = index.ids;
  const candidates: bigint[] = [];
  // Pairs of ids exactly `gap` apart: two pointers over the sorted ids.
  for (let i = 0, j = 0; i < ids.length; i++) {
    const target = ids[i] + pair.gap;
    while (j < ids.length && ids[j] < target) {
      j++;
    }
    if (j === ids.length) {
      break;
    }
    if (ids[j] === target) {
      candidates.push(sample[pair.at] - BigInt(ids[i]));
      if (candidates.length >= MAX_CANDIDATES) {
        break;
      }
    }
  }
  return (
    candidates.find(
      c => c !== 0n && mapsOntoIds(sample, value => value - c, index)
    ) ?? null
  );
}

const TWO_32 = 4294967296;

/** A constant c with value XOR c an id for most values (c ≠ 0), or null. */
function xorOf(sample: bigint[], index: DisclosureIndex): bigint | null {
  if (sample[0] < 0n) {
    return null;
  }
  const pair = closestPair(sample, (a, b) => a ^ b);
  if (!pair) {
    return null;
  }
  const ids = index.ids;
  const xHigh = Math.floor(pair.gap / TWO_32);
  const xLow = pair.gap % TWO_32;
  const candidates: bigint[] = [];
  for (let i = 0; i < ids.length && candidates.length < MAX_CANDIDATES; i++) {
    const id = ids[i];
    const high = Math.floor(id / TWO_32);
    const target =
      ((high ^ xHigh) >>> 0) * TWO_32 + (((id - high * TWO_32) ^ xLow) >>> 0);
    if (target <= id) {
      continue; // each pair once, from its lower id
    }
    // The partner is near: gallop forward, then search between the last two steps.
    let step = 1;
    let previous = i;
    let j = i + 1;
    while (j < ids.length && ids[j] < target) {
      previous = j;
      step *= 2;
      j = i + step;
    }
    let low = previous + 1;
    let top = Math.min(j, ids.length - 1);
    while (low <= top) {
      const middle = Math.floor((low + top) / 2);
      if (ids[middle] === target) {
        candidates.push(sample[pair.at] ^ BigInt(id));
        candidates.push(sample[pair.at] ^ BigInt(target));
        break;
      }
      if (ids[middle] < target) {
        low = middle + 1;
      } else {
        top = middle - 1;
      }
    }
  }
  return (
    candidates.find(
      c => c !== 0n && mapsOntoIds(sample, value => value ^ c, index)
    ) ?? null
  );
}

/** The first index of the sorted ids at or above `value`. */
function lowerBound(ids: Float64Array, value: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/**
 * Ids with their last one to three digits dropped (`id // 1000`, a
 * date-time that keeps microseconds of `id / 1e9` seconds): most values v
 * have an id within s − 1 of v·s for one s of 10, 100, 1000 (dropped or
 * rounded). Such a window holds an id by chance about once in fifty, so a sample that mostly
 * hits is ids; wider windows are not tried (they hold several ids).
 */
function truncationOf(sample: bigint[], index: DisclosureIndex): number | null {
  for (const scale of [10, 100, 1000]) {
    let hits = 0;
    for (const value of sample) {
      const scaled = value * BigInt(scale);
      if (scaled <= 0n || scaled >= EXACT) {
        continue;
      }
      // Dropped (floor) or rounded: the id is within one step below or above.
      const at = lowerBound(index.ids, Number(scaled) - scale + 1);
      if (
        at < index.ids.length &&
        index.ids[at] <= Number(scaled) + scale - 1
      ) {
        hits++;
      }
    }
    if (hits >= Math.max(3, MATCH_SHARE * sample.length)) {
      return scale;
    }
  }
  return null;
}

export async function shiftedIds(
  file: string,
  document: Document,
  index: DisclosureIndex,
  config: ReviewConfig,
  labels: Labels,
  pacer: Pacer
): Promise<Finding[]> {
  const tested = (await sequences(document, labels, pacer))
    .map(sequence => ({
      sequence,
      sample: sampleOf(sequence.values, config.shiftMinValues)
    }))
    .filter(entry => entry.sample)
    .sort((a, b) => b.sequence.values.length - a.sequence.values.length)
    .slice(0, MAX_SEQUENCES);
  const findings: Finding[] = [];
  for (const { sequence, sample } of tested) {
    await pacer.pause();
    const scale = truncationOf(sample!, index);
    const how = scale
      ? `their last ${String(scale).length - 1} digit${scale > 10 ? 's' : ''} dropped`
      : offsetOf(sample!, index)
        ? 'a constant added'
        : (await pacer.pause(), xorOf(sample!, index))
          ? 'a constant XORed'
          : null;
    if (!how) {
      continue;
    }
    findings.push({
      rule: 'encoded_identifier',
      severity: 'fail',
      file,
      location: sequence.place,
      column: sequence.column,
      message: `${file}: ${sequence.place} holds ids of the data set with ${how}${sequence.dates ? ', written as date-times' : ''} (most of its values map onto ids${scale ? ', each to one id in a window of a few' : ' once one constant is taken off'}). ${scale ? 'A window that narrow singles out one record' : 'One known id undoes the constant'}: leave identifiers out and output aggregates.`
    });
  }
  return findings;
}
