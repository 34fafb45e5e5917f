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
import { invalidParams } from '../research/body';
import { faultError } from '../research/fault-answers';
import { requestKey } from '../research/faults';

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
  const faults = context.researchFaults;

  app.post(USER_INFO_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const selection = parseFields(fieldsParam(request), 'user');
    const username = readUsername(request.body);
    // Faults on a switch (README): decided once the request was admitted (and counted).
    const scope = {
      clientKey: request.clientKey,
      endpoint: 'user/info' as const
    };
    const fault = faults.requestFault({
      ...scope,
      page: requestKey(username),
      firstPage: true
    });
    const refusal = fault && faultError(fault, null);
    if (refusal) {
      throw refusal;
    }
    const ids = await queries!.run('sortedIds', {
      query: userQuery(username),
      order: 'asc'
    });
    if (ids.length === 0) {
      throw userNotFound(username);
    }
    const refused = faults.refusedUser(scope, username);
    if (refused) {
      throw invalidParams(refused);
    }
    const [user] = await queries!.run('fetch', {
      category: 'user',
      ids: [ids[0]],
      fields: selection.columns
    });
    context.researchMeter.chargeRecords(request.clientKey, 'research', 1);
    return ok(
      faults.alterUser(scope, username, shapeRecord(user, selection)),
      request.id
    );
  });
}
