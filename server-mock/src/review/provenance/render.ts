import {
  cellText,
  isLabel,
  isObject,
  type Cell,
  type ProvenanceRecord
} from './record';

/** A record rendered as its file would be (CSV, markdown, SVG; JSON compared by value): must stay in step with pyrqs/outputs.py. */

function tableOf(record: ProvenanceRecord): string[][] {
  return [record.header, ...record.rows.map(row => row.map(cellText))];
}

const CSV_QUOTE = /[",\r\n]|^\s|\s$/;

export function renderCsv(record: ProvenanceRecord): string {
  const field = (text: string) =>
    CSV_QUOTE.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  return tableOf(record)
    .map(row => `${row.map(field).join(',')}\n`)
    .join('');
}

export function renderMarkdown(record: ProvenanceRecord): string {
  const cell = (text: string) =>
    text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const [header, ...rows] = tableOf(record);
  const lines = record.title ? [`# ${cell(record.title)}`, ''] : [];
  lines.push(`| ${header.map(cell).join(' | ')} |`);
  lines.push(`|${header.map(() => ' --- ').join('|')}|`);
  lines.push(...rows.map(row => `| ${row.map(cell).join(' | ')} |`));
  return `${lines.join('\n')}\n`;
}

/** The value the JSON file holds for a cell (pyrqs render_json). */
function jsonValue(cell: Cell): unknown {
  if (isLabel(cell)) {
    return cell.label;
  }
  if (cell.suppressed) {
    return cell.text;
  }
  return cell.text === '' ? null : Number(cell.text);
}

function jsonMatches(record: ProvenanceRecord, content: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return false;
  }
  const expected = {
    columns: record.header,
    rows: record.rows.map(row =>
      Object.fromEntries(
        record.header.map((name, column) => [name, jsonValue(row[column])])
      )
    )
  };
  return sameJson(parsed, expected);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameJson(item, b[index]))
    );
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(key => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
    );
  }
  return a === b;
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function renderSvg(record: ProvenanceRecord): string {
  const [width, labelWidth, barWidth, rowHeight] = [640, 160, 400, 28];
  const bars = record.rows.map(row => ({
    label: cellText(row[0]),
    cell: row[row.length - 1]
  }));
  const countOf = (cell: Cell) =>
    !isLabel(cell) && cell.count !== undefined ? cell.count : null;
  const longest =
    Math.max(
      ...bars.map(bar => countOf(bar.cell)).filter(count => count !== null),
      1
    ) || 1;
  const height = 40 + rowHeight * bars.length + 12;
  const title = xml(record.title ?? '');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<text x="8" y="24" font-family="sans-serif" font-size="16">${title}</text>`
  ];
  bars.forEach(({ label, cell }, index) => {
    const y = 40 + rowHeight * index;
    const count = countOf(cell);
    const bar = count === null ? 0 : Math.floor((count * barWidth) / longest);
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-family="sans-serif" font-size="12">${xml(label)}</text>`
    );
    if (bar) {
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${bar}" height="24" fill="#4477aa"/>`
      );
    }
    parts.push(
      `<text x="${labelWidth + bar + 6}" y="${y + 17}" font-family="sans-serif" font-size="12">${xml(cellText(cell))}</text>`
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** True when the file is exactly what the record describes. */
export function fileMatches(
  record: ProvenanceRecord,
  extension: string,
  content: string
): boolean {
  switch (extension) {
    case '.csv':
      return content === renderCsv(record);
    case '.md':
      return content === renderMarkdown(record);
    case '.svg':
      return record.kind === 'bar_chart' && content === renderSvg(record);
    case '.json':
      return jsonMatches(record, content);
    default:
      return false;
  }
}

// --- the rules, exactly, from the record ---

/** The checks on a matching record's cells: threshold, dominance, p-ratio, model dof, consistency. */
