import type { FastifyInstance } from 'fastify';
import { ok } from '../http/reply';
import { RESEARCH_ROUTE, fieldsParam } from '../http/research-door';
import type { DoorServices } from '../research/door-services';
import { userInfoAnswer } from '../research/user-answers';

export const USER_INFO_PATH = '/v2/research/user/info/';

/**
 * `POST /v2/research/user/info/`: one user's public profile, flat in `data`
 * (docs/research/research-api.md §5; ../research/user-answers.ts).
 */
export function registerResearchUserRoutes(
  app: FastifyInstance,
  door: DoorServices
): void {
  app.post(USER_INFO_PATH, { config: RESEARCH_ROUTE }, async request =>
    ok(
      await userInfoAnswer(
        door,
        request.clientKey,
        fieldsParam(request),
        request.body
      ),
      request.id
    )
  );
}
