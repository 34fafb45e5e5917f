/**
 * The soak's command line: `npm run bench:soak -- [--minutes M] [--researchers N] ...`.
 * Pure: argv in, options or a usage error out.
 */
import { parseArgs } from 'node:util';

export interface SoakOptions {
  /** How long the researchers work (minutes; fractions allowed). */
  minutes: number;
  /** Simulated researchers working at once. */
  researchers: number;
  /** Seed of every researcher's choices (same seed, same plan). */
  seed: number;
  /** Size of the stand-in's generated public data (videos). */
  videos: number;
  /** Test-stage records a client may receive a day (the stand-in's `--daily-limit`). */
  dailyLimit: number;
  /** Mean pause between a researcher's actions (seconds, exponential). */
  thinkSeconds: number;
  /** The first of the ports the soak may use (the stand-in; the Jupyter server gets the next). */
  port: number;
  /** Seconds the soak waits at the end for jobs and tasks still running before it stops. */
  graceSeconds: number;
  /** Keep the temporary folder (data, logs) instead of removing it. */
  keep: boolean;
  help: boolean;
}

export const DEFAULTS: SoakOptions = {
  minutes: 10,
  researchers: 50,
  seed: 1,
  videos: 20_000,
  dailyLimit: 5000,
  thinkSeconds: 3,
  port: 9250,
  graceSeconds: 60,
  keep: false,
  help: false
};

export const USAGE = `Usage: npm run bench:soak -- [options]

Simulated researchers against one platform stand-in (vce-mock) and one Jupyter
server with the extension, for a while; then a table of requests served,
errors by kind, p50/p99 per route and both servers' memory.

  --minutes M        how long the researchers work (default ${DEFAULTS.minutes}; 0.5 = 30 s)
  --researchers N    researchers at once (default ${DEFAULTS.researchers})
  --seed S           seed of their choices (default ${DEFAULTS.seed})
  --videos N         size of the stand-in's public data (default ${DEFAULTS.videos})
  --daily-limit N    records a client may receive a day (default ${DEFAULTS.dailyLimit}, the platform's;
                     a small one soaks the refusals: 429s, failed test runs and tasks)
  --think SECONDS    mean pause between a researcher's actions (default ${DEFAULTS.thinkSeconds})
  --port P           the stand-in listens on P, the Jupyter server on P+1 (default ${DEFAULTS.port})
  --grace SECONDS    wait at most this long at the end for jobs still running (default ${DEFAULTS.graceSeconds})
  --keep             keep the temporary folder (data, both servers' logs)
  --help             show this help`;

export class UsageError extends Error {}

function number(
  raw: string | undefined,
  flag: string,
  fallback: number,
  min: number,
  max: number,
  integer: boolean
): number {
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    throw new UsageError(
      `${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got "${raw}".`
    );
  }
  return value;
}

export function parseOptions(argv: string[]): SoakOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        minutes: { type: 'string' },
        researchers: { type: 'string' },
        seed: { type: 'string' },
        videos: { type: 'string' },
        'daily-limit': { type: 'string' },
        think: { type: 'string' },
        port: { type: 'string' },
        grace: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean' }
      },
      strict: true,
      allowPositionals: false
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const d = DEFAULTS;
  return {
    minutes: number(parsed.minutes, '--minutes', d.minutes, 0.05, 1440, false),
    researchers: number(
      parsed.researchers,
      '--researchers',
      d.researchers,
      1,
      1000,
      true
    ),
    seed: number(parsed.seed, '--seed', d.seed, 0, 4_294_967_295, true),
    videos: number(parsed.videos, '--videos', d.videos, 1000, 5_000_000, true),
    dailyLimit: number(
      parsed['daily-limit'],
      '--daily-limit',
      d.dailyLimit,
      1,
      1_000_000_000,
      true
    ),
    thinkSeconds: number(
      parsed.think,
      '--think',
      d.thinkSeconds,
      0,
      600,
      false
    ),
    port: number(parsed.port, '--port', d.port, 1024, 65534, true),
    graceSeconds: number(
      parsed.grace,
      '--grace',
      d.graceSeconds,
      0,
      3600,
      false
    ),
    keep: parsed.keep ?? false,
    help: parsed.help ?? false
  };
}
