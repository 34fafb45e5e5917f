/**
 * A run of columns where every row fills exactly one cell (a per-record
 * chart row: 60 bins, one of them holding the record's value) spreads one
 * value over many columns, so no single column reads as a field. Folded, the
 * run is two columns again: the value, and which column of the run held it.
 * Pure: the linkage rule appends these to the rows it checks.
 */

/** Columns a run must have to be folded (two are an ordinary pair of columns). */
const MIN_RUN = 3;

/** The runs (first column, past-the-last column) of adjacent columns where every row has exactly one non-blank cell. */
export function oneCellRuns(
  rows: string[][],
  width: number
): [number, number][] {
  if (!rows.length) {
    return [];
  }
  const blank = (row: string[], column: number) =>
    (row[column] ?? '').trim() === '';
  // Only columns blank in some row can be part of a run.
  const sparse = Array.from({ length: width }, (_, column) =>
    rows.some(row => blank(row, column))
  );
  const runs: [number, number][] = [];
  let start = 0;
  while (start < width) {
    if (!sparse[start]) {
      start++;
      continue;
    }
    let end = start;
    while (end < width && sparse[end]) {
      end++;
    }
    if (
      end - start >= MIN_RUN &&
      rows.every(row => {
        let filled = 0;
        for (let column = start; column < end && filled < 2; column++) {
          filled += blank(row, column) ? 0 : 1;
        }
        return filled === 1;
      })
    ) {
      runs.push([start, end]);
    }
    start = end;
  }
  return runs;
}

/** Each row with, per run, its one filled cell's text and its place in the run appended (after `width` columns). */
export function foldRuns(
  rows: string[][],
  width: number,
  runs: [number, number][]
): string[][] {
  if (!runs.length) {
    return rows;
  }
  return rows.map(row => {
    const padded = Array.from(
      { length: width },
      (_, column) => row[column] ?? ''
    );
    for (const [start, end] of runs) {
      let at = start;
      while (at < end && (row[at] ?? '').trim() === '') {
        at++;
      }
      padded.push(row[at] ?? '', String(at - start));
    }
    return padded;
  });
}
