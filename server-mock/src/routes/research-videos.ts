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
  app.post(VIDEO_QUERY_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const selection = parseFields(fieldsParam(request), 'video');
    const video = readVideoQuery(request.body, selection);
    const page = await videoSearchPage(
      video,
      request.clientKey,
      queries!,
      searches,
      context.now().getTime(),
      context.random
    );
    const records = await queries!.run('fetch', {
      category: 'video',
      ids: page.ids,
      fields: selection.columns
    });
    context.researchMeter.chargeRecords(
      request.clientKey,
      'research',
      records.length
    );
    return ok(
      {
        videos: records.map(record => shapeRecord(record, selection)),
        cursor: page.cursor,
        has_more: page.hasMore,
        search_id: page.searchId
      },
      request.id
    );
  });

  app.post(COMMENT_LIST_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const selection = parseFields(fieldsParam(request), 'comment');
    const list = readCommentList(request.body, selection);
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
    }
    const ids = await queries!.run('sortedIds', {
      query: list.query,
      order: 'asc'
    });
    const listed = Math.min(ids.length, COMMENTS_LISTED);
    const end = Math.min(list.cursor + list.maxCount, listed);
    const records = await queries!.run('fetch', {
      category: 'comment',
      ids: Array.from(ids.subarray(Math.min(list.cursor, end), end)),
      fields: selection.columns
    });
    context.researchMeter.chargeRecords(
      request.clientKey,
      'research',
      records.length
    );
    return ok(
      {
        comments: records.map(record => shapeRecord(record, selection)),
        cursor: list.cursor + list.maxCount,
        has_more: list.cursor + list.maxCount < listed
      },
      request.id
    );
  });
}
