import type { FastifyInstance } from 'fastify';
import { signIn, TOKEN_PATH } from '../auth';
import type { PlatformContext } from '../context';
import { ApiError, oauthError, oauthErrorHandler } from '../http/errors';

interface TokenBody {
  client_key?: string;
  client_secret?: string;
  grant_type?: string;
}

const tokenBodySchema = {
  type: 'object',
  properties: {
    client_key: { type: 'string' },
    client_secret: { type: 'string' },
    grant_type: { type: 'string' }
  }
} as const;

/** Which required field is missing, in the platform's words ("Client secret is missed in request."). */
function missingField(body: TokenBody): string | null {
  if (!body.client_key) {
    return 'Client key is missed in request: send client_key.';
  }
  if (!body.client_secret) {
    return 'Client secret is missed in request: send client_secret.';
  }
  if (!body.grant_type) {
    return 'Grant type is missed in request: send grant_type=client_credentials.';
  }
  return null;
}

/**
 * `POST /v2/oauth/token/`: client credentials → an expiring bearer token.
 * Its errors are the platform's flat OAuth body (`oauthErrorHandler`): every
 * public client reads `error` as a string (docs/research/research-clients.md §1).
 */
export function registerTokenRoute(
  app: FastifyInstance,
  context: PlatformContext
): void {
  app.post<{ Body: TokenBody }>(
    TOKEN_PATH,
    {
      schema: { body: tokenBodySchema },
      config: { public: true },
      errorHandler: oauthErrorHandler
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const missing = missingField(body);
      if (missing) {
        throw new ApiError(400, 'invalid_request', missing);
      }
      if (body.grant_type !== 'client_credentials') {
        // 400 invalid_request, as docs/contracts.md fixes it for a wrong grant type.
        throw new ApiError(
          400,
          'invalid_request',
          `Grant type "${body.grant_type}" is not supported: use grant_type=client_credentials.`
        );
      }
      const token = signIn(context, body.client_key!, body.client_secret!);
      if (!token) {
        const message =
          'Client key or secret is incorrect. Check them on your Research projects page.';
        // Faults on a switch (README): the flat error at HTTP 200, as users saw it (ResearchTikPy PR #28).
        if (context.researchFaults.tokenError200(body.client_key!)) {
          return oauthError('invalid_client', message, request.id);
        }
        throw new ApiError(401, 'invalid_client', message);
      }
      void reply.header('cache-control', 'no-store');
      return {
        access_token: token,
        expires_in: context.tokenTtlSeconds,
        token_type: 'Bearer',
        scope: 'research.vce'
      };
    }
  );
}
