/**
 * The table of a query's records, with the record count and the quota left:
 * the MIME renderer of the SDK's results and the builder's preview share it.
 * Plain DOM, text only (never HTML from the data).
 */
import type { Quota } from '../api/types';
import { plainTranslate, Translate } from '../common/translate';
import { formatCount as count } from '../common/format';
import '../../style/result.css';

export { QUERY_RESULT_MIME } from './mime';

/** Rows shown before "show all". */
export const ROWS_SHOWN = 100;

/** The payload of the MIME type (pyrqs `QueryResult.to_json()`). */
export interface IQueryResultData {
  category?: string | null;
  fields?: string[] | null;
  count?: number | null;
  records: Record<string, unknown>[];
  quota?: Quota | null;
  has_more?: boolean | null;
  log_id?: string | null;
}

/** The columns: the requested fields, then any other key the records carry. */
export function columnsOf(data: IQueryResultData): string[] {
  const names = [...(data.fields ?? [])];
  const seen = new Set(names);
  for (const record of data.records) {
    for (const name of Object.keys(record)) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  return names;
}

/** One cell's text: lists as JSON, absent values empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** "10 video records · 4,990 of 5,000 left today (resets 2026-11-26 00:00 UTC)". */
export function summaryOf(
  data: IQueryResultData,
  trans: Translate = plainTranslate
): string {
  const total = data.count ?? data.records.length;
  const what = data.category
    ? total === 1
      ? trans.__('1 %1 record', data.category)
      : trans.__('%1 %2 records', count(total), data.category)
    : total === 1
      ? trans.__('1 record')
      : trans.__('%1 records', count(total));
  const parts = [what];
  const quota = data.quota;
  if (quota && typeof quota.remaining === 'number') {
    const resets = quota.resets_at
      ? quota.resets_at.replace('T', ' ').replace(/:00(\.000)?Z$/, ' UTC')
      : '';
    parts.push(
      resets
        ? trans.__(
            '%1 of %2 left today (resets %3)',
            count(quota.remaining),
            count(quota.daily_limit),
            resets
          )
        : trans.__(
            '%1 of %2 left today',
            count(quota.remaining),
            count(quota.daily_limit)
          )
    );
  }
  if (data.has_more) {
    parts.push(trans.__('more pages available'));
  }
  return parts.join(' · ');
}

/** Render the records into `host` (replacing what it held). */
export function renderResult(
  host: HTMLElement,
  data: IQueryResultData,
  trans: Translate = plainTranslate
): void {
  host.replaceChildren();
  host.classList.add('jp-vce-Result');
  const summary = document.createElement('p');
  summary.className = 'jp-vce-Result-summary';
  summary.textContent = summaryOf(data, trans);
  host.appendChild(summary);
  if (data.records.length === 0) {
    const none = document.createElement('p');
    none.className = 'jp-vce-Result-empty';
    none.textContent = trans.__('No records matched.');
    host.appendChild(none);
    return;
  }
  const columns = columnsOf(data);
  const wrap = document.createElement('div');
  wrap.className = 'jp-vce-Result-scroll';
  const table = document.createElement('table');
  table.className = 'jp-vce-Result-table';
  const caption = document.createElement('caption');
  caption.className = 'jp-vce-Result-caption';
  caption.textContent = summary.textContent;
  table.appendChild(caption);
  const head = table.createTHead().insertRow();
  const number = document.createElement('th');
  number.scope = 'col';
  number.textContent = '#';
  head.appendChild(number);
  for (const name of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  const addRows = (from: number, to: number) => {
    for (let index = from; index < to; index++) {
      const record = data.records[index];
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(index + 1);
      row.appendChild(th);
      for (const name of columns) {
        const cell = row.insertCell();
        const text = cellText(record[name]);
        cell.textContent = text;
        if (typeof record[name] === 'number') {
          cell.className = 'jp-vce-Result-number';
        }
        if (text.length > 80) {
          cell.title = text;
        }
      }
    }
  };
  const shown = Math.min(ROWS_SHOWN, data.records.length);
  addRows(0, shown);
  wrap.appendChild(table);
  host.appendChild(wrap);
  if (data.records.length > shown) {
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'jp-mod-styled jp-vce-Result-more';
    more.textContent = trans.__(
      'Show all %1 records',
      count(data.records.length)
    );
    more.addEventListener('click', () => {
      addRows(shown, data.records.length);
      more.remove();
    });
    host.appendChild(more);
  }
}

/** Whether a MIME payload has the shape the renderer reads. */
export function isQueryResultData(value: unknown): value is IQueryResultData {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as IQueryResultData).records) &&
    (value as IQueryResultData).records.every(
      record => typeof record === 'object' && record !== null
    )
  );
}
