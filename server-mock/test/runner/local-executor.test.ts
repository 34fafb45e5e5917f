import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { RECORD_COUNT_HEADER } from '../../src/query/paging';
import type { Executor, JobDefinition } from '../../src/runner/executor';
import { LocalSandboxExecutor } from '../../src/runner/local-executor';
import { DEFAULT_LIMITS, describeRuntime } from '../../src/runner/sandbox';

/**
 * The Executor contract (src/runner/executor.ts) as the local sandbox keeps it:
 * prepare → execute → finalize → cleanup on a trivial script, with status()
 * saying where the job is after each step.
 */

const SCRIPT = `import http.client, json, os, socket

class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(os.environ["RQS_API_URL"][len("unix:"):])

connection = UnixConnection("localhost")
connection.request("POST", "/v2/vce/query/", body="{}", headers={"authorization": "Bearer " + os.environ["RQS_ACCESS_TOKEN"], "content-type": "application/json"})
answer = json.loads(connection.getresponse().read())["data"]
with open(os.path.join("output", "count.csv"), "w") as handle:
    handle.write("records\\n%d\\n" % answer["count"])
print("read", answer["count"])
`;

let root: string;
let app: FastifyInstance;
let executor: Executor;
const recordsRead: [string, number][] = [];

function definition(id: string, script: string): JobDefinition {
  const jobDir = join(root, 'jobs', id);
  const filesDir = join(jobDir, 'submitted');
  mkdirSync(filesDir, { recursive: true });
  writeFileSync(join(filesDir, 'analysis.py'), script);
  const workDir = join(jobDir, 'work');
  return {
    id,
    entry: 'analysis.py',
    filesDir,
    workDir,
    outputDir: join(workDir, 'output'),
    collectedDir: join(jobDir, 'collected'),
    logsDir: join(jobDir, 'logs'),
    stdoutPath: join(jobDir, 'logs', 'stdout.txt'),
    stderrPath: join(jobDir, 'logs', 'stderr.txt'),
    limits: {
      ...DEFAULT_LIMITS,
      wallSeconds: 20,
      cpuSeconds: 10,
      memoryBytes: 512 * 1024 * 1024,
      processes: 32
    },
    data: {
      socketPath: join(jobDir, 'data.sock'),
      accessToken: `token-of-${id}`
    }
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vce-executor-'));
  // The platform side of the gateway: three records for any query.
  app = Fastify();
  app.post('/v2/vce/query/', async (_request, reply) => {
    reply.header(RECORD_COUNT_HEADER, '3');
    return {
      data: { records: [{ id: 1 }, { id: 2 }, { id: 3 }], count: 3 },
      error: { code: 'ok', message: '', log_id: 'x' }
    };
  });
  await app.ready();
  executor = new LocalSandboxExecutor({
    app,
    hiddenPaths: [join(root, 'platform')],
    onRecords: (jobId, count) => recordsRead.push([jobId, count])
  });
});

afterAll(async () => {
  executor.shutdown();
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

test('a job goes prepare → execute → finalize → cleanup, and status() follows it', async () => {
  const job = definition('job_contract', SCRIPT);
  expect(executor.status(job)).toEqual({
    state: 'unknown',
    result: null,
    collected: null
  });

  const prepared = await executor.prepare(job);
  expect(prepared.state).toBe('prepared');
  expect(readFileSync(join(job.workDir, 'analysis.py'), 'utf8')).toBe(SCRIPT);
  expect(existsSync(job.outputDir)).toBe(true);
  expect(existsSync(job.logsDir)).toBe(true);

  const executed = await executor.execute(job);
  expect(executed.state).toBe('executed');
  expect(executed.result).toMatchObject({
    outcome: 'exited',
    exitCode: 0,
    reason: null,
    failure: null
  });
  expect(executor.status(job).state).toBe('executed');
  expect(readFileSync(job.stdoutPath, 'utf8')).toContain('read 3');
  // The gateway counted what the job read, and is gone with the run.
  expect(recordsRead).toEqual([['job_contract', 3]]);
  expect(existsSync(job.data.socketPath)).toBe(false);

  const finalized = await executor.finalize(job);
  expect(finalized.state).toBe('finalized');
  expect(finalized.result?.outcome).toBe('exited');
  expect(finalized.collected).toEqual({ files: ['count.csv'], problems: [] });
  expect(readFileSync(join(job.collectedDir, 'count.csv'), 'utf8')).toBe(
    'records\n3\n'
  );

  await executor.cleanup(job);
  expect(executor.status(job)).toEqual({
    state: 'unknown',
    result: null,
    collected: null
  });
  // Cleanup forgets the job; its files stay for the review and the release.
  expect(existsSync(join(job.collectedDir, 'count.csv'))).toBe(true);
});

test('execute needs prepare first', async () => {
  const job = definition('job_unprepared', 'print(1)\n');
  await expect(executor.execute(job)).rejects.toThrow(
    /unknown here, not prepared/
  );
});

test('terminate stops an executing job: its result is cancelled', async () => {
  const job = definition('job_cancelled', 'import time\ntime.sleep(60)\n');
  await executor.prepare(job);
  const running = executor.execute(job);
  await new Promise(resolve => setTimeout(resolve, 500));
  expect(executor.status(job).state).toBe('executing');
  expect(executor.terminate(job)).toBe(true);
  const ended = await running;
  expect(ended.result?.outcome).toBe('cancelled');
  await executor.cleanup(job);
  expect(executor.terminate(job)).toBe(false);
});

test('finalize reads only what is on disk: it finalizes a job another process executed', async () => {
  const job = definition('job_recovered', 'print(1)\n');
  mkdirSync(job.outputDir, { recursive: true });
  writeFileSync(join(job.outputDir, 'left.txt'), 'from before the restart');
  const finalized = await executor.finalize(job);
  expect(finalized).toEqual({
    state: 'finalized',
    result: null,
    collected: { files: ['left.txt'], problems: [] }
  });
  await executor.cleanup(job);
});

test('the runtime it reports is the sandbox description the attestation states', () => {
  expect(executor.runtime()).toEqual(describeRuntime());
});
