import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from './context';
import { ApiError } from './http/errors';
import { newAccessToken } from './secrets';
import { JOB_SCOPE } from './store';

/** Default token lifetime: 2 h, as the platform's (docs/research/research-api.md §1). */
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
  /**
   * A public Research API route (./http/research-door.ts): a token that may not
   * call it is refused as that API refuses it, 401 `scope_not_authorized`
   * (docs/research/research-api.md §6), not 403.
   */
  researchApi?: boolean;
}

/**
 * Client credentials → a new bearer token of the client (saved, expiring after
 * the token lifetime), or null when the key or secret is wrong; both audited.
 */
export function signIn(
  context: PlatformContext,
  clientKey: string,
  clientSecret: string
): string | null {
  const now = context.now();
  if (!context.store.verifyClient(clientKey, clientSecret)) {
    context.store.audit(
      now,
      null,
      'sign_in_refused',
      `client_key=${clientKey}`
    );
    return null;
  }
  const token = newAccessToken();
  const issuedAt = now.getTime();
  context.store.saveToken(
    token,
    clientKey,
    issuedAt,
    issuedAt + context.tokenTtlSeconds * 1000
  );
  context.store.pruneTokens(issuedAt);
  context.store.audit(now, clientKey, 'token_issued');
  return token;
}

/** The client of a request's bearer token, or an error that says what to do. */
export function authenticate(
  request: FastifyRequest,
  context: PlatformContext
): { clientKey: string; scope: string; jobId: string | null } {
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

/** 403 (401 scope_not_authorized on the Research API) when the token's holder may not call the route. */
function authorise(
  config: RouteAuthConfig,
  clientKey: string,
  scope: string,
  jobId: string | null,
  context: PlatformContext,
  method: string,
  path: string
): void {
  const refuse = (message: string) =>
    config.researchApi
      ? new ApiError(401, 'scope_not_authorized', message)
      : new ApiError(403, 'forbidden', message);
  // A token handed to a running script (a job's, or a test run's researcher-scope one) only reads data.
  if (scope === JOB_SCOPE || jobId !== null) {
    if (!config.jobToken) {
      throw refuse(
        `A job's access token can only read data (POST /v2/vce/query/); ${method} ${path} is not open to jobs.`
      );
    }
    return;
  }
  const access = config.access ?? 'researcher';
  if (access === 'any') {
    return;
  }
  const role = context.store.getClient(clientKey)?.role ?? 'researcher';
  if (role !== access) {
    throw refuse(
      access === 'reviewer'
        ? `${method} ${path} is for the platform's reviewers; this client is a researcher.`
        : `${method} ${path} is for researchers; a reviewer client only reviews jobs (/v2/vce/review/).`
    );
  }
}

/** Every route but the token route needs a valid bearer token. */
export function registerAuthHook(
  app: FastifyInstance,
  context: PlatformContext
): void {
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
    authorise(
      config,
      clientKey,
      scope,
      jobId,
      context,
      request.method,
      request.routeOptions.url ?? request.url
    );
  });
}
