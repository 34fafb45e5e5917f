import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { requireData } from '../http/guards';
import { ok } from '../http/reply';
import type { QueryRunner } from '../query/pool';
import { COMMENTS_LISTED, readCommentList } from '../research/comment-request';
import { parseFields, shapeRecord } from '../research/fields';
import { invalidParams } from '../research/body';
import type { SearchCache } from '../research/searches';
import { readVideoQuery } from '../research/video-request';
import { videoSearchPage } from '../research/video-search';
import { RESEARCH_ROUTE, fieldsParam } from '../http/research-door';
import { faultError } from '../research/fault-answers';
import { requestKey } from '../research/faults';
import { searchFingerprint } from '../research/video-request';

export const VIDEO_QUERY_PATH = '/v2/research/video/query/';
export const COMMENT_LIST_PATH = '/v2/research/video/comment/list/';

/**
 * `POST /v2/research/video/query/` (a search, paged by cursor and search id)
 * and `POST /v2/research/video/comment/list/` (a video's comments, paged by
 * cursor): the public Research API's shapes (docs/research/research-api.md
 * §2, §4) over the same data the VCE's query route reads.
 */
export function registerResearchVideoRoutes(
  app: FastifyInstance,
  context: PlatformContext,
  queries: QueryRunner | null,
  searches: SearchCache
): void {
  const faults = context.researchFaults;

  app.post(VIDEO_QUERY_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const selection = parseFields(fieldsParam(request), 'video');
    const video = readVideoQuery(request.body, selection);
    // Faults on a switch (README): decided once the request was admitted (and counted).
    const scope = {
      clientKey: request.clientKey,
      endpoint: 'video/query' as const,
      startDate: video.startDate,
      endDate: video.endDate
    };
    const fault = faults.requestFault({
      ...scope,
      // Not the search id: it differs from run to run, the draws must not.
      page: requestKey([
        searchFingerprint(video),
        video.cursor,
        video.maxCount,
        video.isRandom
      ]),
      firstPage: video.searchId === null
    });
    const refusal = fault && faultError(fault, video.searchId);
    if (refusal) {
      throw refusal;
    }
    const page = await videoSearchPage(
      video,
      request.clientKey,
      queries!,
      searches,
      context.now().getTime(),
      context.random
    );
    const empty = fault?.kind === 'empty_results';
    const records = empty
      ? []
      : await queries!.run('fetch', {
          category: 'video',
          ids: page.ids,
          // The id too: a fault that alters a record is drawn by its id.
          fields: [...new Set([...selection.columns, 'id'])]
        });
    context.researchMeter.chargeRecords(
      request.clientKey,
      'research',
      records.length
    );
    return ok(
      {
        videos: records.map(record =>
          faults.alterVideo(
            scope,
            String(record.id),
            shapeRecord(record, selection)
          )
        ),
        cursor: page.cursor,
        has_more: !empty && page.hasMore,
        search_id: page.searchId
      },
      request.id
    );
  });

  app.post(COMMENT_LIST_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const selection = parseFields(fieldsParam(request), 'comment');
    const list = readCommentList(request.body, selection);
    const scope = {
      clientKey: request.clientKey,
      endpoint: 'video/comment/list' as const
    };
    const fault = faults.requestFault({
      ...scope,
      page: requestKey([list.parent, list.cursor, list.maxCount]),
      firstPage: list.cursor === 0
    });
    const refusal = fault && faultError(fault, null);
    if (refusal) {
      throw refusal;
    }
    if (list.parent.kind === 'video') {
      const [video] = await queries!.run('fetch', {
        category: 'video',
        ids: [list.parent.id],
        fields: ['id']
      });
      if (!video) {
        throw invalidParams(
          `video_id ${list.parent.id} is invalid: cannot find the video.`
        );
      }
      const refused = faults.refusedVideoComments(
        scope,
        String(list.parent.id)
      );
      if (refused) {
        throw invalidParams(refused);
      }
    }
    const ids = await queries!.run('sortedIds', {
      query: list.query,
      order: 'asc'
    });
    const listed = Math.min(ids.length, COMMENTS_LISTED);
    const end = Math.min(list.cursor + list.maxCount, listed);
    const empty = fault?.kind === 'empty_results';
    const records = empty
      ? []
      : await queries!.run('fetch', {
          category: 'comment',
          ids: Array.from(ids.subarray(Math.min(list.cursor, end), end)),
          fields: [...new Set([...selection.columns, 'id'])]
        });
    context.researchMeter.chargeRecords(
      request.clientKey,
      'research',
      records.length
    );
    const hasMore = !empty && list.cursor + list.maxCount < listed;
    const nullCursor =
      hasMore &&
      faults.nullCommentCursor(scope, String(list.parent.id), list.cursor);
    return ok(
      {
        comments: records.map(record =>
          faults.alterComment(
            scope,
            String(record.id),
            shapeRecord(record, selection)
          )
        ),
        cursor: nullCursor ? null : list.cursor + list.maxCount,
        has_more: hasMore
      },
      request.id
    );
  });
}
