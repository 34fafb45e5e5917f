/**
 * The lab-load bench's command line: `npm run bench:lab-load -- [--loads N] ...`.
 * Pure: argv in, options or a usage error out.
 */
import { parseArgs } from 'node:util';

export interface LabLoadOptions {
  /** Measured cold loads of each lab (with the extension, and with it absent). */
  loads: number;
  /** Loads of each lab before the measured ones (not counted). */
  warmup: number;
  /** Spawns of `jupyter server` with the embedded platform on, and off (each). */
  readiness: number;
  /** Seed of the bootstrap's resampling. */
  seed: number;
  /** Bootstrap resamples of the ratio's confidence interval. */
  resamples: number;
  /** The first port: the labs, then the readiness servers, then the stand-in at +30430. */
  port: number;
  /** Chromium to drive. */
  chromium: string;
  /** Never build: fail when the labextension is not a production build. */
  noBuild: boolean;
  /** Skip the page loads (readiness only), or the readiness runs (loads only). */
  skipLoads: boolean;
  skipReadiness: boolean;
  /** A checkout whose jupyterlab_vce (on PYTHONPATH) is a third readiness arm: before/after in one run. */
  before: string | null;
  /** Keep the temporary folder (homes, logs) instead of removing it. */
  keep: boolean;
  help: boolean;
}

export const DEFAULTS: LabLoadOptions = {
  loads: 20,
  warmup: 2,
  readiness: 10,
  seed: 1,
  resamples: 10_000,
  port: 8970,
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  noBuild: false,
  skipLoads: false,
  skipReadiness: false,
  before: null,
  keep: false,
  help: false
};

export const USAGE = `usage: npm run bench:lab-load -- [options]
  --loads N        measured cold loads of each lab (default ${DEFAULTS.loads}, at least 2)
  --warmup N       loads of each lab first, not counted (default ${DEFAULTS.warmup})
  --readiness N    server spawns with the embedded platform on, and off (default ${DEFAULTS.readiness})
  --seed N         the bootstrap's seed (default ${DEFAULTS.seed})
  --resamples N    bootstrap resamples (default ${DEFAULTS.resamples})
  --port N         first port (default ${DEFAULTS.port}: labs ${DEFAULTS.port}-${DEFAULTS.port + 1}, readiness ${DEFAULTS.port + 2}; stand-in ${DEFAULTS.port + 30430})
  --chromium PATH  the browser (default $CHROMIUM_PATH or /usr/bin/chromium)
  --no-build       fail instead of building when the labextension is not a production build
  --skip-loads     readiness only
  --skip-readiness page loads only
  --before DIR     also spawn servers with DIR's jupyterlab_vce (PYTHONPATH=DIR, e.g. a main checkout)
  --keep           keep the temporary folder (homes, logs)`;

function count(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} must be an integer of at least ${min}`);
  }
  return value;
}

export function parseOptions(argv: string[]): LabLoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      loads: { type: 'string' },
      warmup: { type: 'string' },
      readiness: { type: 'string' },
      seed: { type: 'string' },
      resamples: { type: 'string' },
      port: { type: 'string' },
      chromium: { type: 'string' },
      'no-build': { type: 'boolean' },
      'skip-loads': { type: 'boolean' },
      'skip-readiness': { type: 'boolean' },
      before: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  });
  const d = DEFAULTS;
  return {
    loads:
      values.loads === undefined ? d.loads : count('loads', values.loads, 2),
    warmup:
      values.warmup === undefined
        ? d.warmup
        : count('warmup', values.warmup, 0),
    readiness:
      values.readiness === undefined
        ? d.readiness
        : count('readiness', values.readiness, 1),
    seed: values.seed === undefined ? d.seed : count('seed', values.seed, 0),
    resamples:
      values.resamples === undefined
        ? d.resamples
        : count('resamples', values.resamples, 100),
    port: values.port === undefined ? d.port : count('port', values.port, 1024),
    chromium: values.chromium ?? d.chromium,
    noBuild: values['no-build'] ?? false,
    skipLoads: values['skip-loads'] ?? false,
    skipReadiness: values['skip-readiness'] ?? false,
    before: values.before ?? null,
    keep: values.keep ?? false,
    help: values.help ?? false
  };
}
