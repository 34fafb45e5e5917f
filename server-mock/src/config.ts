import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_TTL_SECONDS } from './auth';
import { DEFAULT_DAILY_LIMIT } from './quota';
import { DEFAULT_RESEARCH_LIMITS, type ResearchLimits } from './research/quota';
import type { ClientSpec } from './store';
import { DEFAULT_WORKERS } from './jobs/service';
import { DEFAULT_LINK_TTL_SECONDS } from './release/links';
import { defaultQueryWorkers } from './query/pool';

/** What `vce-mock` was asked to do. */
export interface CliConfig {
  host: string;
  port: number;
  dataDir: string;
  clients: ClientSpec[];
  tokenTtlSeconds: number;
  dailyLimit: number;
  /** The public Research API's limits (`--research-*`, src/research/quota.ts). */
  researchLimits: ResearchLimits;
  /** Size of the generated public data set (videos; users ≈ videos / 20, comments ≈ 3 a video). */
  videos: number;
  /** Seed of the generated public data set: same seed and size, same data. */
  seed: number;
  /** A fixture file to serve instead of generated data, or null. */
  fixtureData: string | null;
  /** The test stage's creator rule (`--test-stage-min-followers N`), or null for every creator. */
  testStageMinFollowers: number | null;
  /** Worker threads that run the queries (`--query-workers N`; 0: on the event loop). */
  queryWorkers: number;
  /** Reviewer clients (`--reviewer KEY:SECRET[:EMAIL]`): they decide the jobs sent to manual review. */
  reviewers: ClientSpec[];
  /** The execution stage's settings. */
  jobs: JobsCliConfig;
  /**
   * A JSON file of researchers and reviewers (`--clients-file`), read by the CLI after
   * the flags (src/clients-file.ts), or null.
   */
  clientsFile: string | null;
  /** Where the package index's wheels and sdists are (`--packages-dir`), or null for the stand-in's own. */
  packagesDir: string | null;
  /**
   * A fault plan for the public Research API (`--faults FILE`,
   * src/research/fault-plan.ts), read by the CLI after the flags, or null: no faults.
   */
  faultsFile: string | null;
  help: boolean;
}

export interface JobsCliConfig {
  workers: number;
  wallSeconds: number | null;
  memoryMiB: number | null;
  reviewThreshold: number | null;
  linkTtlSeconds: number;
  smtpUrl: string | null;
  publicUrl: string | null;
}

/** A flag the caller got wrong; the CLI prints it and exits with 2. */
export class UsageError extends Error {}

export const DEFAULT_PORT = 8910;
/** One more client, `KEY:SECRET[:EMAIL]`, out of sight of the process list. */
export const CLIENT_ENV = 'VCE_MOCK_CLIENT';
export const DEFAULT_EMAIL = 'researcher@vce.localhost';
export const DEFAULT_VIDEOS = 100_000;
export const MAX_VIDEOS = 5_000_000;
export const DEFAULT_SEED = 1;
export const MAX_SEED = 4_294_967_295;

export const USAGE = `Usage: vce-mock [options]

A local stand-in of the Virtual Compute Environment platform's backend API.

Options:
  --host HOST              address to listen on (default 127.0.0.1)
  --port PORT              port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --data-dir DIR           where the SQLite database lives
                           (default \${XDG_DATA_HOME:-~/.local/share}/vce-mock)
  --client KEY:SECRET[:EMAIL]
                           a research client (repeatable); without any, one demo
                           client is generated once and its credentials printed.
                           The environment variable VCE_MOCK_CLIENT takes one more
                           client the same way, and keeps its secret off \`ps\`
  --clients-file FILE      research clients and reviewers from a JSON file (for a team):
                           {"researchers": [{"client_key": "…", "client_secret": "…",
                             "email": "…", "project_name": "…" (optional)}, …],
                            "reviewers": [ the same ]}
                           added to --client / --reviewer; keep it mode 0600
  --token-ttl SECONDS      access token lifetime (default ${DEFAULT_TOKEN_TTL_SECONDS})
  --daily-limit N          test-stage records a client may receive a UTC day (default ${DEFAULT_DAILY_LIMIT})
  --research-daily-requests N
                           Research API (/v2/research/…) requests a client may send a UTC day
                           (default ${DEFAULT_RESEARCH_LIMITS.dailyRequests}); apart from --daily-limit
  --research-daily-records N
                           Research API records a client may receive a UTC day
                           (default ${DEFAULT_RESEARCH_LIMITS.dailyRecords})
  --research-follow-daily-requests N, --research-follow-daily-records N
                           the same for followers/following, counted apart
                           (default ${DEFAULT_RESEARCH_LIMITS.followDailyRequests} and ${DEFAULT_RESEARCH_LIMITS.followDailyRecords})
  --research-per-minute N  Research API requests a client may send in any 60 s (default ${DEFAULT_RESEARCH_LIMITS.perMinute})
  --videos N               size of the synthetic public data: N videos, about N/20 users
                           and 3N comments (default ${DEFAULT_VIDEOS}, 1 to ${MAX_VIDEOS}); generated
                           once into DIR/public-data-s<SEED>-v<N>.sqlite, then reused
  --seed S                 seed of the synthetic public data (default ${DEFAULT_SEED}, 0 to ${MAX_SEED}):
                           the same seed and size always give the same data
  --fixture-data FILE      serve the public data of a fixture file instead of generating it
  --test-stage-min-followers N
                           test-stage samples only from creators with at least N followers
                           (one version of the platform's FAQ: 25000); default: every creator
  --query-workers N        worker threads that run the queries, each with its own read-only
                           connection to the data (default 2, 1 on a one-core machine;
                           0 runs them on the event loop)

Execution stage (clean-room jobs):
  --reviewer KEY:SECRET[:EMAIL]
                           a reviewer client (repeatable): lists the jobs the automatic
                           review sends to manual review and approves or rejects them
  --job-workers N          jobs run at once (default ${DEFAULT_WORKERS})
  --job-timeout SECONDS    wall-time limit of a job (default 1800)
  --job-memory MIB         memory limit (address space) of a job in MiB (default 2048)
  --review-threshold N     smallest count a frequency table may show (default 10, ACRO/SACRO)
  --link-ttl SECONDS       how long a result link works (default ${DEFAULT_LINK_TTL_SECONDS} = 7 days)
  --smtp URL               send mail by SMTP (smtp://user:pass@host:587); without it mails
                           are written as .eml files to DIR/outbox and listed by GET /v2/vce/outbox/
  --public-url URL         base URL of result links in mails (default: the listening address)
  --packages-dir DIR       the wheels and sdists the package index /simple/ serves
                           (default: the stand-in's own dist/python, pyrqs built by npm run build)

Public Research API (/v2/research/…):
  --faults FILE            play the real API's faults from a JSON plan (off by default):
                           {"seed": 7, "faults": [{"kind": "internal_error",
                             "probability": 0.05}, …]}; kinds and sources in README
                           § Faults on a switch; a client may set its own with
                           PUT /v2/mock/faults/
  --help                   show this help

Prints "vce-mock listening on http://HOST:PORT" on stdout once ready.`;

const CLIENT_KEY_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const EMAIL_PATTERN = /^[^\s@:]+@[^\s@:]+$/;

/**
 * The rules every configured client keeps, however it was given (a flag, the
 * environment, a clients file); `where` names the source in the message, which
 * never holds the secret.
 */
export function checkClient(spec: ClientSpec, where: string): ClientSpec {
  if (!CLIENT_KEY_PATTERN.test(spec.clientKey)) {
    throw new UsageError(
      `${where} key "${spec.clientKey}" may only hold letters, digits, ".", "_" and "-" (at most 128).`
    );
  }
  if (!spec.clientSecret) {
    throw new UsageError(`${where} "${spec.clientKey}:…" has an empty secret.`);
  }
  if (!EMAIL_PATTERN.test(spec.email)) {
    throw new UsageError(
      `${where} "${spec.clientKey}" has the email "${spec.email}": write it as name@domain.`
    );
  }
  return spec;
}

/** `KEY:SECRET[:EMAIL]`; the secret may itself contain colons. */
export function parseClientSpec(spec: string, flag = '--client'): ClientSpec {
  const first = spec.indexOf(':');
  if (first <= 0) {
    throw new UsageError(
      `${flag} "${mask(spec)}" must be KEY:SECRET or KEY:SECRET:EMAIL.`
    );
  }
  const clientKey = spec.slice(0, first);
  let clientSecret = spec.slice(first + 1);
  let email = DEFAULT_EMAIL;
  const last = clientSecret.lastIndexOf(':');
  if (last >= 0 && EMAIL_PATTERN.test(clientSecret.slice(last + 1))) {
    email = clientSecret.slice(last + 1);
    clientSecret = clientSecret.slice(0, last);
  }
  return checkClient({ clientKey, clientSecret, email }, flag);
}

/** Show a client spec without its secret. */
function mask(spec: string): string {
  const first = spec.indexOf(':');
  return first < 0 ? spec : `${spec.slice(0, first)}:***`;
}

function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number
): number {
  if (value === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, not "${value}".`
    );
  }
  return Number(value);
}

function optionalInteger(
  name: string,
  value: string | undefined,
  min: number,
  max: number
): number | null {
  return value === undefined ? null : integerFlag(name, value, min, min, max);
}

function urlFlag(
  name: string,
  value: string | undefined,
  protocols: string[]
): string | null {
  if (value === undefined) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--${name} "${value}" is not a URL: write it as ${protocols[0]}//host:port.`
    );
  }
  if (!protocols.includes(url.protocol)) {
    throw new UsageError(
      `--${name} must start with ${protocols.map(protocol => `${protocol}//`).join(' or ')}, not "${url.protocol}".`
    );
  }
  return value;
}

function fileFlag(name: string, value: string | undefined): string | null {
  if (value !== undefined && !value.trim()) {
    throw new UsageError(`--${name} must name a file.`);
  }
  return value ?? null;
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'vce-mock');
}

/** Parse the command line; throws UsageError with a message for the caller. */
export function parseCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env
): CliConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        client: { type: 'string', multiple: true },
        'token-ttl': { type: 'string' },
        'daily-limit': { type: 'string' },
        'research-daily-requests': { type: 'string' },
        'research-daily-records': { type: 'string' },
        'research-follow-daily-requests': { type: 'string' },
        'research-follow-daily-records': { type: 'string' },
        'research-per-minute': { type: 'string' },
        videos: { type: 'string' },
        seed: { type: 'string' },
        'fixture-data': { type: 'string' },
        'test-stage-min-followers': { type: 'string' },
        'query-workers': { type: 'string' },
        reviewer: { type: 'string', multiple: true },
        'job-workers': { type: 'string' },
        'job-timeout': { type: 'string' },
        'job-memory': { type: 'string' },
        'review-threshold': { type: 'string' },
        'link-ttl': { type: 'string' },
        smtp: { type: 'string' },
        'public-url': { type: 'string' },
        'packages-dir': { type: 'string' },
        'clients-file': { type: 'string' },
        faults: { type: 'string' },
        help: { type: 'boolean' }
      }
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const host = values.host ?? '127.0.0.1';
  if (!host.trim()) {
    throw new UsageError('--host must not be empty.');
  }
  return {
    host,
    port: integerFlag('port', values.port, DEFAULT_PORT, 0, 65535),
    dataDir: values['data-dir'] ?? defaultDataDir(env),
    packagesDir: values['packages-dir'] ?? null,
    clientsFile: fileFlag('clients-file', values['clients-file']),
    faultsFile: fileFlag('faults', values.faults),
    clients: [
      ...(values.client ?? []),
      ...(env[CLIENT_ENV] ? [env[CLIENT_ENV]] : [])
    ].map(spec => parseClientSpec(spec)),
    tokenTtlSeconds: integerFlag(
      'token-ttl',
      values['token-ttl'],
      DEFAULT_TOKEN_TTL_SECONDS,
      1,
      31_536_000
    ),
    dailyLimit: integerFlag(
      'daily-limit',
      values['daily-limit'],
      DEFAULT_DAILY_LIMIT,
      1,
      1_000_000_000
    ),
    researchLimits: {
      dailyRequests: integerFlag(
        'research-daily-requests',
        values['research-daily-requests'],
        DEFAULT_RESEARCH_LIMITS.dailyRequests,
        1,
        1_000_000_000
      ),
      dailyRecords: integerFlag(
        'research-daily-records',
        values['research-daily-records'],
        DEFAULT_RESEARCH_LIMITS.dailyRecords,
        1,
        1_000_000_000
      ),
      followDailyRequests: integerFlag(
        'research-follow-daily-requests',
        values['research-follow-daily-requests'],
        DEFAULT_RESEARCH_LIMITS.followDailyRequests,
        1,
        1_000_000_000
      ),
      followDailyRecords: integerFlag(
        'research-follow-daily-records',
        values['research-follow-daily-records'],
        DEFAULT_RESEARCH_LIMITS.followDailyRecords,
        1,
        1_000_000_000
      ),
      perMinute: integerFlag(
        'research-per-minute',
        values['research-per-minute'],
        DEFAULT_RESEARCH_LIMITS.perMinute,
        1,
        1_000_000
      )
    },
    videos: integerFlag('videos', values.videos, DEFAULT_VIDEOS, 1, MAX_VIDEOS),
    seed: integerFlag('seed', values.seed, DEFAULT_SEED, 0, MAX_SEED),
    fixtureData: fileFlag('fixture-data', values['fixture-data']),
    testStageMinFollowers: optionalInteger(
      'test-stage-min-followers',
      values['test-stage-min-followers'],
      1,
      1_000_000_000
    ),
    queryWorkers: integerFlag(
      'query-workers',
      values['query-workers'],
      defaultQueryWorkers(),
      0,
      64
    ),
    reviewers: (values.reviewer ?? []).map(spec => ({
      ...parseClientSpec(spec, '--reviewer'),
      role: 'reviewer' as const
    })),
    jobs: {
      workers: integerFlag(
        'job-workers',
        values['job-workers'],
        DEFAULT_WORKERS,
        1,
        64
      ),
      wallSeconds: optionalInteger(
        'job-timeout',
        values['job-timeout'],
        1,
        86_400
      ),
      memoryMiB: optionalInteger(
        'job-memory',
        values['job-memory'],
        64,
        262_144
      ),
      reviewThreshold: optionalInteger(
        'review-threshold',
        values['review-threshold'],
        1,
        1_000_000
      ),
      linkTtlSeconds: integerFlag(
        'link-ttl',
        values['link-ttl'],
        DEFAULT_LINK_TTL_SECONDS,
        1,
        31_536_000
      ),
      smtpUrl: urlFlag('smtp', values.smtp, ['smtp:', 'smtps:']),
      publicUrl: urlFlag('public-url', values['public-url'], [
        'http:',
        'https:'
      ])
    },
    help: values.help ?? false
  };
}
