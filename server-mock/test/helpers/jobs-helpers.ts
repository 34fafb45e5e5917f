import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type AppOptions } from '../../src/app';
import { DEFAULT_SEED, DEFAULT_VIDEOS } from '../../src/config';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import type { JobsOptions } from '../../src/jobs/service';
import { Store, type ClientSpec } from '../../src/store';
import { fetchChecked } from './openapi-conformance';
import { ALICE } from './helpers';

export const BOB: ClientSpec = {
  clientKey: 'bob-lab',
  clientSecret: 'bob-secret',
  email: 'bob@uni.example'
};
export const REVIEWER: ClientSpec = {
  clientKey: 'rev-1',
  clientSecret: 'rev-secret',
  email: 'review@vce.example',
  role: 'reviewer'
};

/** A small generated data set, shared by the job tests of one run (generated once, ~0.2 s). */
export const JOB_TEST_VIDEOS = 3000;
let shared: PublicData | null = null;
export function jobTestData(): PublicData {
  if (!shared) {
    shared = openPublicData({
      dataDir: join(tmpdir(), 'vce-jobs-test-data'),
      seed: 7,
      videos: JOB_TEST_VIDEOS
    });
  }
  return shared;
}

/**
 * The platform's default data (seed 1, 100,000 videos, ~300,000 comments), as a
 * researcher's jobs see it: generated once into a shared temporary folder
 * (~10 s the first time, then reused by every run until the generator changes).
 * For the review's corpora (test/review/corpus.test.ts), whose verdicts must
 * hold on the data the platform ships with.
 */
let sharedDefault: PublicData | null = null;
export function defaultData(): PublicData {
  if (!sharedDefault) {
    sharedDefault = openPublicData({
      dataDir: join(tmpdir(), 'vce-corpus-data'),
      seed: DEFAULT_SEED,
      videos: DEFAULT_VIDEOS
    });
  }
  return sharedDefault;
}

/** Short limits so that leaking scripts end within seconds. */
export const TEST_LIMITS = {
  wallSeconds: 20,
  cpuSeconds: 15,
  memoryBytes: 512 * 1024 * 1024,
  processes: 48
};

/** The statuses a job ends in. */
export const ENDED_STATUSES = [
  'approved',
  'rejected',
  'failed',
  'timed_out',
  'cancelled'
];

export interface JobsPlatform {
  base: string;
  dataDir: string;
  store: Store;
  call: (
    method: string,
    path: string,
    options?: {
      token?: string;
      json?: unknown;
      headers?: Record<string, string>;
    }
  ) => ReturnType<typeof fetchChecked>;
  signIn: (spec?: ClientSpec) => Promise<string>;
  submit: (
    token: string,
    entry: string,
    files: Record<string, string | Buffer>
  ) => ReturnType<typeof fetchChecked>;
  waitFor: (
    token: string,
    jobId: string,
    statuses: string[],
    timeoutMs?: number
  ) => Promise<any>;
  /** Submit a job (or a test run) and wait until it has ended; the job as it ended. */
  runToEnd: (
    token: string,
    entry: string,
    files: Record<string, string | Buffer>,
    options?: { testRun?: boolean }
  ) => Promise<any>;
  close: () => Promise<void>;
}

/** A platform with the execution stage, listening on a free loopback port (real HTTP). */
export async function startJobsPlatform(
  options: {
    jobs?: Partial<JobsOptions>;
    app?: Partial<AppOptions>;
    dataDir?: string;
    /** The public data jobs read (default: the small job test data, jobTestData()). */
    publicData?: PublicData;
  } = {}
): Promise<JobsPlatform> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vce-jobs-'));
  const store = new Store(join(dataDir, 'vce-mock.sqlite'));
  const app = buildApp({
    store,
    clients: [ALICE, BOB, REVIEWER],
    publicData: options.publicData ?? jobTestData(),
    jobs: { dataDir, workers: 2, limits: TEST_LIMITS, ...options.jobs },
    ...options.app
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const call: JobsPlatform['call'] = (
    method,
    path,
    { token, json, headers } = {}
  ) =>
    fetchChecked(base, method, path, {
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers
      },
      body: json !== undefined ? JSON.stringify(json) : undefined
    });
  const signIn = async (spec: ClientSpec = ALICE) => {
    const response = await fetchChecked(base, 'POST', '/v2/oauth/token/', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_key: spec.clientKey,
        client_secret: spec.clientSecret,
        grant_type: 'client_credentials'
      }).toString()
    });
    return response.json<{ access_token: string }>().access_token;
  };
  const submitTo = (
    path: string,
    token: string,
    entry: string,
    files: Record<string, string | Buffer>
  ) =>
    call('POST', path, {
      token,
      json: {
        entry,
        files: Object.entries(files).map(([name, content]) => ({
          name,
          content_base64: Buffer.from(content).toString('base64')
        }))
      }
    });
  const submit: JobsPlatform['submit'] = (token, entry, files) =>
    submitTo('/v2/vce/jobs/', token, entry, files);
  const waitFor: JobsPlatform['waitFor'] = async (
    token,
    jobId,
    statuses,
    timeoutMs = 60_000
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = (
        await call('GET', `/v2/vce/jobs/${jobId}/`, { token })
      ).json().data;
      const manual =
        statuses.includes('manual_review') &&
        job.status === 'reviewing' &&
        job.verdict?.decision === 'manual_review';
      if (statuses.includes(job.status) || manual) {
        return job;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `job ${jobId} is still ${job.status} after ${timeoutMs} ms: ${JSON.stringify(job)}`
        );
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  };
  const runToEnd: JobsPlatform['runToEnd'] = async (
    token,
    entry,
    files,
    { testRun = false } = {}
  ) => {
    const path = testRun ? '/v2/vce/test-runs/' : '/v2/vce/jobs/';
    const job = (await submitTo(path, token, entry, files)).json().data;
    return waitFor(token, job.job_id, ENDED_STATUSES);
  };
  return {
    base,
    dataDir,
    store,
    call,
    signIn,
    submit,
    waitFor,
    runToEnd,
    async close() {
      await app.close();
      store.close();
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  };
}

/**
 * The honest aggregate job: videos counted by region over all data, small groups left out.
 * One text for every suite: server-mock/test-vectors/analysis-job.py (also read by pytest and Galata).
 */
export const HONEST_SCRIPT = readFileSync(
  join(__dirname, '..', '..', 'test-vectors', 'analysis-job.py'),
  'utf8'
);
