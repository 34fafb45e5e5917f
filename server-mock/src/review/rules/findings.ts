/**
 * What a finding is, and how findings word places, counts and column names
 * (shared by every rule family).
 */

import type { Table } from '../documents';

/**
 * The review's rules: from a read output to findings. Each finding names the
 * rule, the file and where (column, row, line), and says in plain words what
 * is wrong and what to do. Nothing the script wrote is quoted: not values,
 * not headers, keys or file names unless `Labels` finds them safe to show
 * (the verdict is shown outside the clean room). `file` is the file as it
 * may be shown: its name when safe, else "output file N".
 */
export interface Finding {
  rule: string;
  severity: 'fail' | 'manual';
  file: string;
  location: string | null;
  /** The table column the finding is about, when it is about a column or its cells (openapi VerdictFinding.column). */
  column?: string | null;
  message: string;
}

const MAX_LOCATIONS = 3;

export function places(locations: string[]): string {
  return placesOf(locations.length, at => locations[at]);
}

/** `places` of `count` locations, only the few shown named (`name(at)`): a column of 300,000 small counts makes 3 names, not 300,000. */
export function placesOf(count: number, name: (at: number) => string): string {
  const shown: string[] = [];
  for (let at = 0; at < Math.min(count, MAX_LOCATIONS); at++) {
    shown.push(name(at));
  }
  return count > MAX_LOCATIONS
    ? `${shown.join('; ')}; and ${(count - MAX_LOCATIONS).toLocaleString('en-US')} more`
    : shown.join('; ');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

export function columnKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function tablePlace(table: Table): string {
  return table.at ? `${table.at}, ` : '';
}

/**
 * Cells of one column, said once: "column 1 (id), rows 1, 2, 3 and 97 more"
 * (entries without a row, such as ids split over adjacent cells, as they are).
 */
export function cellsPlace(
  column: string,
  cells: { location: string; row: number | null }[]
): string {
  if (cells.some(cell => cell.row === null)) {
    return places(cells.map(cell => cell.location));
  }
  const rows = cells
    .slice(0, MAX_LOCATIONS)
    .map(cell => String(cell.row))
    .join(', ');
  const more =
    cells.length > MAX_LOCATIONS
      ? ` and ${(cells.length - MAX_LOCATIONS).toLocaleString('en-US')} more`
      : '';
  return `${column}, ${cells.length === 1 ? 'row' : 'rows'} ${rows}${more}`;
}
