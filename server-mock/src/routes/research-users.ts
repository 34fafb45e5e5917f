import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { requireData } from '../http/guards';
import { ok } from '../http/reply';
import type { QueryRunner } from '../query/pool';
import { parseFields, shapeRecord } from '../research/fields';
import {
  readUsername,
  userNotFound,
  userQuery
} from '../research/user-request';
import { RESEARCH_ROUTE, fieldsParam } from '../http/research-door';

export const USER_INFO_PATH = '/v2/research/user/info/';

/**
 * `POST /v2/research/user/info/`: one user's public profile, flat in `data`
 * (docs/research/research-api.md §5).
 */
export function registerResearchUserRoutes(
  app: FastifyInstance,
  context: PlatformContext,
  queries: QueryRunner | null
): void {
  app.post(USER_INFO_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const selection = parseFields(fieldsParam(request), 'user');
    const username = readUsername(request.body);
    const ids = await queries!.run('sortedIds', {
      query: userQuery(username),
      order: 'asc'
    });
    if (ids.length === 0) {
      throw userNotFound(username);
    }
    const [user] = await queries!.run('fetch', {
      category: 'user',
      ids: [ids[0]],
      fields: selection.columns
    });
    context.researchMeter.chargeRecords(request.clientKey, 'research', 1);
    return ok(shapeRecord(user, selection), request.id);
  });
}
