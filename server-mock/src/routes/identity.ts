import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { ok } from '../http/reply';

export const IDENTITY_PATH = '/v2/vce/me/';

/** `GET /v2/vce/me/`: who the token's client is, its project and primary researcher. */
export function registerIdentityRoute(
  app: FastifyInstance,
  context: PlatformContext
): void {
  app.get(IDENTITY_PATH, { config: { access: 'any' } }, async request => {
    const client = context.store.getClient(request.clientKey);
    if (!client) {
      throw new ApiError(
        401,
        'access_token_invalid',
        'The client of this token no longer exists.'
      );
    }
    return ok(
      {
        client_key: client.clientKey,
        role: client.role,
        project: { id: client.projectId, name: client.projectName },
        primary_researcher_email: client.email
      },
      request.id
    );
  });
}
