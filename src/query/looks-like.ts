/**
 * Whether a cell looks like an SDK query cell (cheap: for showing the
 * "Edit in Query Builder" command, not for reading it; `read-cell.ts` reads it).
 */
export function looksLikeQueryCell(source: string): boolean {
  return /\bpyrqs\b/.test(source) && /\.query\s*\(/.test(source);
}
