import { createHash } from 'node:crypto';
import type { PublicData } from '../data/schema';
import { pageRecords } from './engine';
import type { Problem, TypedQuery } from './typed-query';

/** Records in a data answer, for the job's data gateway (it counts what a job reads). */
export const RECORD_COUNT_HEADER = 'x-vce-record-count';

/** What a cursor is bound to: the query (not the page size), so a cursor cannot page another query. */
export function queryFingerprint(query: TypedQuery): string {
  const canonical = JSON.stringify(
    {
      category: query.category,
      groups: query.groups.map(group => ({
        operator: group.operator,
        conditions: group.conditions.map(c => [c.field, c.operation, c.values])
      })),
      fields: query.fields,
      timeRange: query.timeRange
    },
    (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** An opaque cursor: the last id returned and the query it belongs to. */
export function encodeCursor(position: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, q: fingerprint })).toString(
    'base64url'
  );
}

/** The position a cursor carries, or a problem saying why it cannot be used. */
export function decodeCursor(
  cursor: string,
  fingerprint: string
): number | Problem {
  try {
    const parsed = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8')
    ) as { p?: unknown; q?: unknown };
    if (
      typeof parsed.p !== 'number' ||
      !Number.isSafeInteger(parsed.p) ||
      typeof parsed.q !== 'string'
    ) {
      throw new Error('shape');
    }
    if (parsed.q !== fingerprint) {
      return {
        field: 'cursor',
        value: cursor,
        message:
          'This cursor belongs to another query: send the same query that returned it, or no cursor to start again.'
      };
    }
    return parsed.p;
  } catch {
    return {
      field: 'cursor',
      value: cursor,
      message:
        'cursor is not one this platform returned: send the cursor of the previous page, or none to start.'
    };
  }
}

/** A job's page of a query: every match in id order after the cursor's position, or why the cursor cannot be used. */
export function pageQuery(data: PublicData, query: TypedQuery) {
  const fingerprint = queryFingerprint(query);
  let afterId: number | null = null;
  if (query.cursor) {
    const decoded = decodeCursor(query.cursor, fingerprint);
    if (typeof decoded !== 'number') {
      return { problem: decoded };
    }
    afterId = decoded;
  }
  const page = pageRecords(data, query, afterId, query.limit);
  return {
    page: {
      category: query.category,
      records: page.records,
      count: page.records.length,
      cursor:
        page.hasMore && page.lastId !== null
          ? encodeCursor(page.lastId, fingerprint)
          : null,
      has_more: page.hasMore
    }
  };
}
