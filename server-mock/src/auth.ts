import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from './context';
import { ApiError } from './errors';
import { newAccessToken } from './secrets';
import { JOB_SCOPE } from './store';

/** Default token lifetime: 2 h, as the platform's (research-api.md §1). */
export const DEFAULT_TOKEN_TTL_SECONDS = 7200;

export const TOKEN_PATH = '/v2/oauth/token/';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client a bearer token was issued to (set by the auth hook). */
    clientKey: string;
    /** The token's scope (set by the auth hook): a researcher's or a job's. */
    tokenScope: string;
    /** The job a token was issued to (a job run or a test run), or null for a researcher's own token. */
    tokenJobId: string | null;
  }
}

/**
 * Who may call a route (its `config.access`): researchers (the default), the
 * platform's reviewers, or both. A job's token (scope research.vce.job) reaches
 * only routes with `config.jobToken: true` (the data route): nothing else.
 */
export type RouteAccess = 'researcher' | 'reviewer' | 'any';

export interface RouteAuthConfig {
  public?: boolean;
  access?: RouteAccess;
  jobToken?: boolean;
}

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

/** `POST /v2/oauth/token/`: client credentials → an expiring bearer token. */
export function registerTokenRoute(app: FastifyInstance, context: PlatformContext): void {
  app.post<{ Body: TokenBody }>(TOKEN_PATH, { schema: { body: tokenBodySchema }, config: { public: true } }, async (request, reply) => {
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
    const now = context.now();
    if (!context.store.verifyClient(body.client_key!, body.client_secret!)) {
      context.store.audit(now, null, 'sign_in_refused', `client_key=${body.client_key}`);
      throw new ApiError(
        401,
        'invalid_client',
        'Client key or secret is incorrect. Check them on your Research projects page.'
      );
    }
    const token = newAccessToken();
    const issuedAt = now.getTime();
    context.store.saveToken(token, body.client_key!, issuedAt, issuedAt + context.tokenTtlSeconds * 1000);
    context.store.pruneTokens(issuedAt);
    context.store.audit(now, body.client_key!, 'token_issued');
    void reply.header('cache-control', 'no-store');
    return {
      access_token: token,
      expires_in: context.tokenTtlSeconds,
      token_type: 'Bearer',
      scope: 'research.vce'
    };
  });
}

/** The client of a request's bearer token, or an error that says what to do. */
export function authenticate(request: FastifyRequest, context: PlatformContext): { clientKey: string; scope: string; jobId: string | null } {
  const header = request.headers.authorization;
  if (!header) {
    throw new ApiError(
      401,
      'access_token_invalid',
      `The request has no access token: get one with POST ${TOKEN_PATH} and send "Authorization: Bearer <token>".`
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new ApiError(
      401,
      'access_token_invalid',
      'The Authorization header is not "Bearer <token>".'
    );
  }
  const found = context.store.findToken(match[1]);
  if (!found) {
    throw new ApiError(
      401,
      'access_token_invalid',
      `The access token is not valid: get a new one with POST ${TOKEN_PATH}.`
    );
  }
  if (found.expiresAt <= context.now().getTime()) {
    throw new ApiError(
      401,
      'access_token_invalid',
      `The access token has expired: get a new one with POST ${TOKEN_PATH}.`
    );
  }
  return { clientKey: found.clientKey, scope: found.scope, jobId: found.jobId };
}

/** 403 when the token's holder may not call the route (config.access, config.jobToken). */
function authorise(config: RouteAuthConfig, clientKey: string, scope: string, jobId: string | null, context: PlatformContext, method: string, path: string): void {
  // A token handed to a running script (a job's, or a test run's researcher-scope one) only reads data.
  if (scope === JOB_SCOPE || jobId !== null) {
    if (!config.jobToken) {
      throw new ApiError(403, 'forbidden', `A job's access token can only read data (POST /v2/vce/query/); ${method} ${path} is not open to jobs.`);
    }
    return;
  }
  const access = config.access ?? 'researcher';
  if (access === 'any') {
    return;
  }
  const role = context.store.getClient(clientKey)?.role ?? 'researcher';
  if (role !== access) {
    throw new ApiError(
      403,
      'forbidden',
      access === 'reviewer'
        ? `${method} ${path} is for the platform's reviewers; this client is a researcher.`
        : `${method} ${path} is for researchers; a reviewer client only reviews jobs (/v2/vce/review/).`
    );
  }
}

/** Every route but the token route needs a valid bearer token. */
export function registerAuthHook(app: FastifyInstance, context: PlatformContext): void {
  app.decorateRequest('clientKey', '');
  app.decorateRequest('tokenScope', '');
  app.decorateRequest('tokenJobId', null);
  app.addHook('onRequest', async request => {
    const config = (request.routeOptions.config ?? {}) as RouteAuthConfig;
    if (config.public || request.is404) {
      return;
    }
    const { clientKey, scope, jobId } = authenticate(request, context);
    request.clientKey = clientKey;
    request.tokenScope = scope;
    request.tokenJobId = jobId;
    authorise(config, clientKey, scope, jobId, context, request.method, request.routeOptions.url ?? request.url);
  });
}
