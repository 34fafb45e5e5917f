import { CATALOGUE } from './catalogue';
import {
  rangeSlice,
  slicePositions,
  sliceCount,
  termSlice,
  type IdList,
  type Range,
  type Slice
} from './id-lists';
import type {
  TimeRange,
  TypedCondition,
  TypedQuery,
  Value
} from './typed-query';

/**
 * The smallest set of rows the id lists (./id-lists.ts) give for a query:
 * one of its conditions that every match must meet (a range of a sorted
 * column, a region with or without a create_time range, one hashtag), as the
 * exact ids that meet it. `exact` when that condition is the whole query (no
 * other condition, no stage rule): the set is then the query's matches.
 */
export interface Candidates {
  /** The rows, as positions in the table's sorted ids. */
  positions: Uint32Array;
  exact: boolean;
}

/** Finds a list by (table, term column, sort column). */
export type ListLookup = (
  table: string,
  termColumn: string | null,
  sortColumn: string | null
) => IdList | undefined;

/**
 * Finds lists by table, term column and sort column; without a sort column,
 * any list of that term column (a term's slice is the same rows whatever they
 * are sorted by: a region alone uses the region+date list).
 */
export function listLookup(lists: Iterable<IdList>): ListLookup {
  const all = [...lists];
  return (table, termColumn, sortColumn) =>
    all.find(
      list =>
        list.table === table &&
        list.termColumn === termColumn &&
        list.sortColumn === sortColumn
    ) ??
    (sortColumn === null && termColumn !== null
      ? all.find(list => list.table === table && list.termColumn === termColumn)
      : undefined);
}

/** A condition every match must meet: `field` of the query or the time range. */
interface Conjunct {
  column: string;
  kind: 'range' | 'terms' | 'side';
  range?: Range;
  terms?: string[];
}

function asNumber(value: Value): number | null {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'bigint') {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : null;
  }
  return null;
}

/** The range a condition on a number or time column means, as ./compile.ts compiles it; null when it is no single range. */
function rangeOf(condition: TypedCondition): Range | null {
  const { spec, operation, values } = condition;
  if (spec.type === 'time') {
    const ranges = values as TimeRange[];
    const first = ranges[0];
    switch (operation) {
      case 'GT':
        return { min: { value: first.to, inclusive: true } };
      case 'GTE':
        return { min: { value: first.from, inclusive: true } };
      case 'LT':
        return { max: { value: first.from, inclusive: false } };
      case 'LTE':
        return { max: { value: first.to, inclusive: false } };
      default:
        return ranges.length === 1
          ? {
              min: { value: first.from, inclusive: true },
              max: { value: first.to, inclusive: false }
            }
          : null;
    }
  }
  if (spec.type !== 'int' || operation === 'IN') {
    return null;
  }
  const value = values.length === 1 ? asNumber(values[0]) : null;
  if (value === null) {
    return null;
  }
  switch (operation) {
    case 'EQ':
      return {
        min: { value, inclusive: true },
        max: { value, inclusive: true }
      };
    case 'GT':
      return { min: { value, inclusive: false } };
    case 'GTE':
      return { min: { value, inclusive: true } };
    case 'LT':
      return { max: { value, inclusive: false } };
    case 'LTE':
      return { max: { value, inclusive: true } };
    default:
      return null;
  }
}

/** A condition as a conjunct the lists can serve, or null. */
function conjunctOf(condition: TypedCondition): Conjunct | null {
  const source = condition.spec.source;
  if (source.kind === 'side') {
    // One value only: a video with two of the values is in both slices.
    return source.column === 'hashtag_name' &&
      condition.operation === 'CONTAINS' &&
      condition.values.length === 1 &&
      typeof condition.values[0] === 'string'
      ? { column: 'hashtag_name', kind: 'side', terms: [condition.values[0]] }
      : null;
  }
  if (source.kind !== 'column') {
    return null;
  }
  if (
    condition.spec.type === 'region' &&
    (condition.operation === 'EQ' || condition.operation === 'IN') &&
    condition.values.every(value => typeof value === 'string')
  ) {
    return {
      column: source.column,
      kind: 'terms',
      terms: [...new Set(condition.values as string[])]
    };
  }
  const range = rangeOf(condition);
  return range ? { column: source.column, kind: 'range', range } : null;
}

/** Two ranges of one column, both to be met. */
function intersect(a: Range, b: Range): Range {
  const tighter = (
    x: Range['min'],
    y: Range['min'],
    sign: 1 | -1
  ): Range['min'] => {
    if (!x) return y;
    if (!y) return x;
    if (x.value !== y.value) {
      return sign * (x.value - y.value) > 0 ? x : y;
    }
    return { value: x.value, inclusive: x.inclusive && y.inclusive };
  };
  return {
    min: tighter(a.min, b.min, 1),
    max: tighter(a.max, b.max, -1)
  };
}

export function candidatesOf(
  query: TypedQuery,
  lookup: ListLookup,
  ruled: boolean
): Candidates | null {
  const spec = CATALOGUE[query.category];
  const table = spec.table;
  const conjuncts: Conjunct[] = [];
  /** Conditions no list serves, that the set does not decide. */
  let others = 0;
  for (const group of query.groups) {
    const binding =
      group.operator === 'and' ||
      (group.operator === 'or' && group.conditions.length === 1);
    for (const condition of group.conditions) {
      const conjunct = binding ? conjunctOf(condition) : null;
      if (conjunct) {
        conjuncts.push(conjunct);
      } else {
        others += 1;
      }
    }
  }
  if (query.timeRange && spec.timeColumn) {
    conjuncts.push({
      column: spec.timeColumn,
      kind: 'range',
      range: {
        min: { value: query.timeRange.from, inclusive: true },
        max: { value: query.timeRange.to, inclusive: false }
      }
    });
  }
  if (conjuncts.length === 0) {
    return null;
  }

  // Ranges of one column meet in one range.
  const ranges = new Map<string, Range>();
  for (const conjunct of conjuncts) {
    if (conjunct.kind === 'range') {
      const known = ranges.get(conjunct.column);
      ranges.set(
        conjunct.column,
        known ? intersect(known, conjunct.range!) : conjunct.range!
      );
    }
  }
  const rangeColumns = ranges.size;
  const termConjuncts = conjuncts.filter(c => c.kind !== 'range');
  /** Conjunct entries in all: a set that decides `decided` of them is exact when it decides them all. */
  const total = rangeColumns + termConjuncts.length;

  let best: { list: IdList; slices: Slice[]; decided: number } | null = null;
  const consider = (list: IdList, slices: Slice[], decided: number) => {
    if (!best || sliceCount(slices) < sliceCount(best.slices)) {
      best = { list, slices, decided };
    }
  };
  for (const [column, range] of ranges) {
    const list = lookup(table, null, column);
    if (list?.values) {
      consider(list, [rangeSlice(list, range)], 1);
    }
  }
  for (const conjunct of termConjuncts) {
    if (conjunct.kind === 'side') {
      const list = lookup(table, conjunct.column, null);
      if (list?.terms) {
        consider(
          list,
          conjunct.terms!.map(term => termSlice(list, term)),
          1
        );
      }
      continue;
    }
    // A term column's list sorted by another column: a range of that column narrows each term.
    for (const [sortColumn, range] of [...ranges, [null, null] as const]) {
      const list = lookup(table, conjunct.column, sortColumn);
      if (!list?.terms) {
        continue;
      }
      const slices = conjunct.terms!.map(term => {
        const slice = termSlice(list, term);
        return range && list.values
          ? rangeSlice(list, range, slice.start, slice.end)
          : slice;
      });
      consider(list, slices, range ? 2 : 1);
    }
  }
  if (!best) {
    return null;
  }
  const chosen = best as { list: IdList; slices: Slice[]; decided: number };
  return {
    positions: slicePositions(chosen.list, chosen.slices),
    exact: !ruled && others === 0 && chosen.decided === total
  };
}
