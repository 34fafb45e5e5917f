import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PublicData } from '../data/schema';
import { sendProblems } from '../http/reply';
import * as sources from './page-source';
import type { PageSummary } from './page-stream';
import {
  decodeCursor,
  encodeCursor,
  queryFingerprint,
  RECORD_COUNT_HEADER
} from './paging';
import type { TypedQuery } from './typed-query';

/**
 * A job's page, streamed: the envelope the route used to serialise
 * (`{"data":{"category","records","count","cursor","has_more"},"error":{…}}`,
 * the same keys in the same order, byte for byte), with the records written
 * to the socket chunk by chunk as SQLite produces them. A chunk is produced
 * only when the socket took the previous one (the Readable's backpressure);
 * a client gone mid-page stops the statement. The record count, known at the
 * end, goes in the HTTP trailer `x-vce-record-count`.
 */

/** The text before the records. */
export function pageHead(category: string): string {
  return `{"data":{"category":${JSON.stringify(category)},"records":[`;
}

/** The text after the records. */
export function pageTail(
  summary: PageSummary,
  cursor: string | null,
  logId: string
): string {
  return (
    `],"count":${summary.count},"cursor":${cursor === null ? 'null' : JSON.stringify(cursor)},` +
    `"has_more":${summary.hasMore}},"error":{"code":"ok","message":"","log_id":${JSON.stringify(logId)}}}`
  );
}

export async function replyPage(
  request: FastifyRequest,
  reply: FastifyReply,
  data: PublicData,
  query: TypedQuery,
  /** The query worker pool (`stream('page', …)`); without it the page is read in this thread. */
  runner?: sources.PageRunner | null
): Promise<FastifyReply> {
  const fingerprint = queryFingerprint(query);
  let afterId: number | null = null;
  if (query.cursor) {
    const decoded = decodeCursor(query.cursor, fingerprint);
    if (typeof decoded !== 'number') {
      return sendProblems(request, reply, [decoded]);
    }
    afterId = decoded;
  }
  const source = sources.pageSource(data, query, afterId, query.limit, runner);
  // The first chunk before the headers: a failing query still answers 500 as before.
  let pending: IteratorResult<Buffer, PageSummary> | null = await source.next();
  let summary: PageSummary | null = null;
  let headSent = false;
  const body = new Readable({
    read() {
      const step = pending ? Promise.resolve(pending) : source.next();
      pending = null;
      step.then(
        result => {
          const head = headSent ? '' : pageHead(query.category);
          headSent = true;
          if (!result.done) {
            this.push(
              head.length > 0
                ? Buffer.concat([Buffer.from(head), result.value])
                : result.value
            );
            return;
          }
          summary = result.value;
          const cursor =
            summary.hasMore && summary.lastId !== null
              ? encodeCursor(summary.lastId, fingerprint)
              : null;
          this.push(head + pageTail(summary, cursor, request.id));
          this.push(null);
        },
        (error: Error) => this.destroy(error)
      );
    },
    destroy(error, callback) {
      if (summary === null) {
        void source.return().catch(() => undefined);
      }
      callback(error);
    }
  });
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.trailer(RECORD_COUNT_HEADER, () =>
    Promise.resolve(String(summary?.count ?? 0))
  );
  return reply.send(body);
}
