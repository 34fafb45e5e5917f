import type { FastifyInstance } from 'fastify';
import { ok } from '../http/reply';
import { RESEARCH_ROUTE, fieldsParam } from '../http/research-door';
import type { DoorServices } from '../research/door-services';
import type { SearchCache } from '../research/searches';
import { commentListAnswer, videoQueryAnswer } from '../research/video-answers';

export const VIDEO_QUERY_PATH = '/v2/research/video/query/';
export const COMMENT_LIST_PATH = '/v2/research/video/comment/list/';

/**
 * `POST /v2/research/video/query/` (a search, paged by cursor and search id)
 * and `POST /v2/research/video/comment/list/` (a video's comments, paged by
 * cursor): the public Research API's shapes (docs/research/research-api.md
 * §2, §4) over the same data the VCE's query route reads
 * (../research/video-answers.ts).
 */
export function registerResearchVideoRoutes(
  app: FastifyInstance,
  door: DoorServices,
  searches: SearchCache
): void {
  app.post(VIDEO_QUERY_PATH, { config: RESEARCH_ROUTE }, async request =>
    ok(
      await videoQueryAnswer(
        door,
        searches,
        request.clientKey,
        fieldsParam(request),
        request.body
      ),
      request.id
    )
  );

  app.post(COMMENT_LIST_PATH, { config: RESEARCH_ROUTE }, async request =>
    ok(
      await commentListAnswer(
        door,
        request.clientKey,
        fieldsParam(request),
        request.body
      ),
      request.id
    )
  );
}
