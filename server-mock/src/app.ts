import formbody from '@fastify/formbody';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyServerOptions
} from 'fastify';
import { DEFAULT_TOKEN_TTL_SECONDS, registerAuthHook } from './auth';
import type { PlatformContext } from './context';
import { ApiError, errorHandler, newLogId } from './http/errors';
import { registerInputGuard } from './http/guards';
import { methodNotAllowed, type RouteEntry } from './http/route-table';
import { registerIdentityRoute } from './routes/identity';
import type { PublicData } from './data/schema';
import { cryptoRandomInt, type RandomInt } from './query/engine';
import { queryRunner } from './query/runners';
import { registerQueryRoute } from './routes/query';
import { registerQuotaRoute } from './routes/quota';
import { acceptJsonBodies } from './http/json-body';
import { openResearchDoor } from './http/research-door';
import { registerResearchUserRoutes } from './routes/research-users';
import { registerResearchUserListRoutes } from './routes/research-user-lists';
import { registerResearchVideoRoutes } from './routes/research-videos';
import { DoorServices } from './research/door-services';
import { SearchCache } from './research/searches';
import { registerTaskRoutes } from './routes/tasks';
import { recoverTasks } from './query/task-recovery';
import { EventBus } from './events';
import { JobsService, type JobsOptions } from './jobs/service';
import { registerEventRoutes } from './routes/events';
import { registerJobRoutes } from './routes/jobs';
import { registerReleaseRoutes } from './routes/release';
import { registerReviewRoutes } from './routes/review';
import { registerSimpleIndexRoutes } from './routes/simple-index';
import { emptyPackageIndex, type PackageIndex } from './packages/index';
import { registerTokenRoute } from './routes/token';
import { registerResearchFaultRoutes } from './routes/research-faults';
import type { FaultPlan } from './research/fault-plan';
import { Faults } from './research/faults';
import { DEFAULT_DAILY_LIMIT, quotaChange } from './quota';
import {
  researchQuotaMeter,
  resolveResearchLimits,
  type ResearchLimits
} from './research/quota';
import { Store, type ClientSpec } from './store';

export interface AppOptions {
  /**
   * The platform's state: an open Store (the caller closes it), or the path of
   * its SQLite file (opened here, closed with the app).
   */
  store: Store | string;
  /** Research clients to register (or update) before serving. */
  clients?: ClientSpec[];
  /**
   * `clients` are the whole team (vce-mock --clients-file): every other client
   * in the store is removed (Store.removeClientsExcept) and the removal logged,
   * keys only. Without it, clients registered earlier stay.
   */
  removeOtherClients?: boolean;
  /** Clock; injectable so tests can move time. */
  now?: () => Date;
  tokenTtlSeconds?: number;
  dailyLimit?: number;
  /** The public Research API's limits (src/research/quota.ts); each defaults to the documented figure. */
  researchLimits?: Partial<ResearchLimits>;
  /** Fastify logger options; false (the default) for silence. */
  logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body, in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The public data set (src/data/); without it the query routes answer 503. */
  publicData?: PublicData;
  /** Random integers for test-stage samples (default: node:crypto); seed it in tests (then queryWorkers is 0). */
  random?: RandomInt;
  /**
   * Worker threads that run the queries (src/query/pool.ts; vce-mock's
   * --query-workers, default 2 there). 0, the default here: inline, on the
   * event loop (tests that pin a seeded sampler).
   */
  queryWorkers?: number;
  /** The execution stage (jobs under a data dir); without it the job routes answer 503. */
  jobs?: JobsOptions;
  /** The package index served at /simple/ (src/packages/); empty without it. */
  packageIndex?: PackageIndex;
  /**
   * The Research API's faults for every client (vce-mock --faults FILE,
   * src/research/fault-plan.ts), or a Faults to share; none by default.
   */
  researchFaults?: FaultPlan | Faults | null;
}

export type { RouteEntry };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the platform serves (HEAD excluded). */
    platformRoutes: RouteEntry[];
  }
}

/** The platform's HTTP API: auth, identity, quota; every error an envelope. */
/** How long requests in flight may take to finish when the platform closes (ms). */
export const CLOSE_GRACE_MS = 2000;

export function buildApp(options: AppOptions): FastifyInstance {
  const ownsStore = typeof options.store === 'string';
  const store =
    typeof options.store === 'string'
      ? new Store(options.store)
      : options.store;
  const now = options.now ?? (() => new Date());
  for (const client of options.clients ?? []) {
    store.upsertClient(client, now());
  }
  const removed = options.removeOtherClients
    ? store.removeClientsExcept(
        (options.clients ?? []).map(client => client.clientKey),
        now()
      )
    : [];
  const researchLimits = resolveResearchLimits(options.researchLimits);
  const context: PlatformContext = {
    store,
    now,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    dailyLimit: options.dailyLimit ?? DEFAULT_DAILY_LIMIT,
    researchLimits,
    researchMeter: researchQuotaMeter(store, researchLimits, now),
    publicData: options.publicData,
    random: options.random ?? cryptoRandomInt,
    events: new EventBus(),
    researchFaults:
      options.researchFaults instanceof Faults
        ? options.researchFaults
        : new Faults(options.researchFaults ?? null)
  };
  // Every change of today's use (a charge, a refund) reaches the client's event stream (the
  // status bar moves at once); a refund of a day gone by leaves today's figure as it is.
  store.onUsage = (clientKey, day, used) => {
    const quota = quotaChange(day, used, context.dailyLimit, context.now());
    if (quota) {
      context.events.publish(clientKey, { type: 'quota', ...quota });
    }
  };
  if (options.jobs) {
    context.jobs = new JobsService(context, options.jobs);
  }
  const queries = options.publicData
    ? queryRunner(options.publicData, options.queryWorkers ?? 0, options.random)
    : null;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => newLogId(context.now()),
    // One line per refused or failed request (the error handler's), not two per request.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // A number where a string belongs is the caller's mistake to hear about, not to guess.
    ajv: { customOptions: { coerceTypes: false, allErrors: true } },
    // Bad percent-encoding or an overlong path parameter: the envelope too.
    frameworkErrors: errorHandler
  });
  if (removed.length > 0) {
    app.log.info(
      { removedClients: removed },
      `removed ${removed.length} client(s) no longer in the clients file: ${removed.join(', ')} ` +
        '(they can no longer sign in; their jobs and results are kept)'
    );
  }
  // As the platform starts: query tasks a previous process left mid-way end, saying nothing
  // was charged (./query/task-recovery.ts); then the jobs' recovery and workers.
  app.addHook('onReady', async () => {
    recoverTasks(store, context.now());
  });
  if (context.jobs) {
    const jobs = context.jobs;
    app.addHook('onReady', async () => jobs.start(app));
  }
  // Closing waits for open connections; one that was opened but never sent a request counts
  // as busy until the headers timeout (60 s). Requests in flight get a short grace, then go.
  app.addHook('preClose', async () => {
    setTimeout(
      () => app.server.closeAllConnections?.(),
      CLOSE_GRACE_MS
    ).unref();
  });
  // One hook, in this order: running jobs stop (and are queued again) before the store closes.
  app.addHook('onClose', async () => {
    await context.jobs?.stop();
    await queries?.close();
    if (ownsStore) {
      store.close();
    }
  });

  const routes: RouteEntry[] = [];
  app.decorate('platformRoutes', routes);
  app.addHook('onRoute', route => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD') {
        // Path parameters as OpenAPI writes them: ":task_id" → "{task_id}".
        routes.push({
          method,
          url: route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
        });
      }
    }
  });

  app.setErrorHandler(errorHandler);
  // A path the platform serves, with a method it does not take: 405 and `Allow`, decided as the
  // request arrives (before a body is read: a body method's content-type checks come later).
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) {
      return;
    }
    const refusal = methodNotAllowed(routes, request.method, request.url);
    if (!refusal) {
      return;
    }
    void reply.header('allow', refusal.allow);
    errorHandler(
      new ApiError(405, 'method_not_allowed', refusal.message),
      request,
      reply
    );
    return reply;
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    errorHandler(
      new ApiError(
        404,
        'not_found',
        `There is no route ${request.method} ${path}; the routes are described in openapi.yaml.`
      ),
      request,
      reply
    );
  });
  // No string with a control character, nothing nested deeper than a request needs.
  registerInputGuard(app);

  // JSON and forms only: anything else is a 415 that says what to send.
  app.removeContentTypeParser('text/plain');
  void app.register(formbody);
  registerAuthHook(app, context);
  registerTokenRoute(app, context);
  registerIdentityRoute(app, context);
  registerQuotaRoute(app, context);
  registerQueryRoute(app, context, queries);
  registerTaskRoutes(app, context, queries);
  // The public Research API's door: its own body parser and quota (./http/research-door.ts).
  const searches = new SearchCache();
  void app.register(async door => {
    openResearchDoor(door, context);
    const services = new DoorServices(context, queries);
    registerResearchVideoRoutes(door, services, searches);
    registerResearchUserRoutes(door, services);
    registerResearchUserListRoutes(door, services);
  });
  registerJobRoutes(app, context);
  registerReleaseRoutes(app, context);
  registerReviewRoutes(app, context);
  registerEventRoutes(app, context);
  registerSimpleIndexRoutes(app, options.packageIndex ?? emptyPackageIndex());
  // The stand-in's fault switch takes JSON, and a DELETE with a JSON content type but no body.
  void app.register(async scope => {
    acceptJsonBodies(
      scope,
      ['application/json'],
      'invalid_request',
      'The body is not valid JSON although Content-Type says application/json: fix it and send it again.'
    );
    registerResearchFaultRoutes(scope, context);
  });
  return app;
}
