import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isStaleFolder,
  parseOomKills,
  platformFolderName,
  processStartTime
} from '../../src/runner/cgroup';
import {
  DEFAULT_LIMITS,
  describeRuntime,
  explainEnd,
  isolationMode,
  jobCgroups,
  parseFailure,
  runSandboxed,
  type SandboxRequest
} from '../../src/runner/sandbox';

/**
 * What the sandbox enforces, observed from inside: a probe script reports
 * what it can see and do, and the platform side checks the report.
 */

let root: string;
let platformDir: string;
let socketServer: Server;
let tcpServer: Server;
let tcpPort: number;
const connections = new Set<import('node:net').Socket>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vce-sandbox-'));
  platformDir = join(root, 'platform');
  mkdirSync(join(platformDir, 'jobs', 'other'), { recursive: true });
  writeFileSync(join(platformDir, 'vce-mock.sqlite'), 'the platform database');
  writeFileSync(
    join(platformDir, 'jobs', 'other', 'analysis.py'),
    'another job'
  );
  socketServer = createServer(connection => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    connection.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
  });
  await new Promise<void>(resolve =>
    socketServer.listen(join(platformDir, 'data.sock'), resolve)
  );
  tcpServer = createServer(connection => connection.end());
  await new Promise<void>(resolve => tcpServer.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcpServer.address() as { port: number }).port;
});

afterAll(async () => {
  connections.forEach(connection => connection.destroy());
  await new Promise(resolve => socketServer.close(resolve));
  await new Promise(resolve => tcpServer.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function job(
  name: string,
  script: string,
  overrides: Partial<SandboxRequest> = {}
): SandboxRequest {
  const jobDir = join(platformDir, 'jobs', name);
  const workDir = join(jobDir, 'work');
  mkdirSync(join(workDir, 'output'), { recursive: true });
  writeFileSync(join(workDir, 'probe.py'), script);
  return {
    jobId: name,
    workDir,
    entry: 'probe.py',
    stdoutPath: join(jobDir, 'stdout.txt'),
    stderrPath: join(jobDir, 'stderr.txt'),
    dataSocket: join(platformDir, 'data.sock'),
    accessToken: 'job-token-123',
    hiddenPaths: [platformDir],
    limits: {
      ...DEFAULT_LIMITS,
      wallSeconds: 20,
      cpuSeconds: 10,
      memoryBytes: 512 * 1024 * 1024,
      processes: 32
    },
    ...overrides
  };
}

const PROBE = (platform: string, port: number) => `import json, os, socket
facts = {"env": sorted(os.environ), "uid": os.getuid(), "cwd": os.getcwd()}
def attempt(action):
    try:
        action()
        return "allowed"
    except Exception as error:
        return type(error).__name__
facts["platform_db"] = attempt(lambda: open(${JSON.stringify(join(platform, 'vce-mock.sqlite'))}).read())
facts["other_job"] = attempt(lambda: open(${JSON.stringify(join(platform, 'jobs', 'other', 'analysis.py'))}).read())
facts["source_tree"] = attempt(lambda: open(${JSON.stringify(join(__dirname, '..', '..', 'package.json'))}).read())
facts["write_root"] = attempt(lambda: open("/vce-escape.txt", "w").write("x"))
facts["tcp_loopback"] = attempt(lambda: socket.create_connection(("127.0.0.1", ${port}), timeout=2))
facts["tcp_internet"] = attempt(lambda: socket.create_connection(("1.1.1.1", 80), timeout=2))
def data_socket():
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.environ["RQS_API_URL"][len("unix:"):])
    s.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
    assert s.recv(100).startswith(b"HTTP/1.1 200")
facts["data_socket"] = attempt(data_socket)
facts["processes_seen"] = len([p for p in os.listdir("/proc") if p.isdigit()])
facts["cgroup_fs"] = os.listdir("/sys/fs/cgroup") if os.path.isdir("/sys/fs/cgroup") else []
facts["token"] = os.environ.get("RQS_ACCESS_TOKEN")
json.dump(facts, open("output/facts.json", "w"))
`;

const namespaces = isolationMode() !== 'rlimits-only';

describe('the sandbox', () => {
  it('describes the runtime for the attestation', () => {
    const runtime = describeRuntime();
    expect(runtime.python).toMatch(/^Python 3\./);
    expect(runtime.enforced.join(' ')).toMatch(/rlimits/);
    expect(['namespaces', 'user-namespaces', 'rlimits-only']).toContain(
      runtime.isolation
    );
  });

  (namespaces ? it : it.failing)(
    'hides the platform, cuts the network but the data socket, scrubs the environment and drops privileges',
    async () => {
      const request = job('probe', PROBE(platformDir, tcpPort));
      const result = await runSandboxed(request);
      expect(result).toMatchObject({
        outcome: 'exited',
        exitCode: 0,
        failure: null
      });
      const facts = JSON.parse(
        readFileSync(join(request.workDir, 'output', 'facts.json'), 'utf8')
      );
      expect(facts.platform_db).toBe('FileNotFoundError');
      expect(facts.other_job).toBe('FileNotFoundError');
      // Only what Python needs is visible: not the platform's source, fixtures or test vectors.
      expect(facts.source_tree).toBe('FileNotFoundError');
      expect(facts.write_root).toMatch(/PermissionError|OSError/);
      expect(facts.tcp_loopback).toMatch(
        /OSError|ConnectionRefusedError|TimeoutError/
      );
      expect(facts.tcp_internet).toMatch(/OSError|TimeoutError/);
      expect(facts.data_socket).toBe('allowed');
      expect(facts.token).toBe('job-token-123');
      const allowed = [
        'HOME',
        'LANG',
        'LC_CTYPE',
        'MPLBACKEND',
        'OMP_NUM_THREADS',
        'OPENBLAS_NUM_THREADS',
        'PATH',
        'PWD',
        'SHLVL',
        'PYTHONIOENCODING',
        'RQS_ACCESS_TOKEN',
        'RQS_API_URL',
        'TMPDIR',
        'VCE_JOB_ID'
      ];
      expect(
        facts.env.filter((name: string) => !allowed.includes(name))
      ).toEqual([]);
      expect(facts.env).toEqual(
        expect.arrayContaining([
          'RQS_API_URL',
          'RQS_ACCESS_TOKEN',
          'HOME',
          'PATH'
        ])
      );
      // Only the sandbox's own processes (the launcher and the job).
      expect(facts.processes_seen).toBeLessThanOrEqual(3);
      // Nor the control groups of other jobs or of the platform.
      expect(facts.cgroup_fs).toEqual([]);
      if (process.getuid?.() === 0) {
        expect(facts.uid).toBeGreaterThanOrEqual(61000);
      }
    }
  );

  (namespaces ? it : it.failing)(
    "shows the job only the pyrqs package: not the stand-in's tests, caches, README or pyproject",
    async () => {
      const request = job(
        'sdk-view',
        `import json, os
import pyrqs
from pyrqs import rqs
parent = os.path.join(os.path.dirname(pyrqs.__file__), "..")
package = os.path.dirname(pyrqs.__file__)
def attempt(action):
    try:
        action()
        return "allowed"
    except Exception as error:
        return type(error).__name__
json.dump({
    "parent": sorted(os.listdir(parent)),
    "package": sorted(os.listdir(package)),
    "tests": attempt(lambda: os.listdir(os.path.join(parent, "tests"))),
    "source_tests": attempt(lambda: os.listdir(${JSON.stringify(join(__dirname, '..', '..', 'python', 'tests'))})),
    "client": type(rqs.RQSClient).__name__,
}, open("output/sdk.json", "w"))
`
      );
      const result = await runSandboxed(request);
      expect(result).toMatchObject({ outcome: 'exited', exitCode: 0 });
      const seen = JSON.parse(
        readFileSync(join(request.workDir, 'output', 'sdk.json'), 'utf8')
      );
      expect(seen.parent).toEqual(['pyrqs']);
      // The package's sources only: no __pycache__ a developer's Python left behind.
      expect(seen.package).toEqual(
        readdirSync(join(__dirname, '..', '..', 'python', 'pyrqs'))
          .filter(name => name.endsWith('.py') || name === 'py.typed')
          .sort()
      );
      expect(seen.tests).toBe('FileNotFoundError');
      expect(seen.source_tests).toBe('FileNotFoundError');
      expect(seen.client).toBe('type');
    }
  );

  it("reports the script's exception type, line and message (the lifecycle reviews the message before anyone sees it: test/jobs/test-runs.test.ts)", async () => {
    const result = await runSandboxed(
      job(
        'raises',
        'x = 1\nsecret = "7100000000000013"\nraise KeyError(secret)\n'
      )
    );
    expect(result).toMatchObject({
      outcome: 'exited',
      exitCode: 1,
      failure: {
        type: 'KeyError',
        line: 3,
        file: 'probe.py',
        message: "'7100000000000013'"
      }
    });
  });

  it('stops a job at its wall-time limit and when cancelled, with every process it started', async () => {
    const endless =
      'import os, time\nif os.fork() == 0:\n    time.sleep(600)\ntime.sleep(600)\n';
    const timed = await runSandboxed(
      job('wall', endless, { limits: { ...DEFAULT_LIMITS, wallSeconds: 1 } })
    );
    expect(timed).toMatchObject({
      outcome: 'timed_out',
      reason: expect.stringMatching(/wall-time limit \(1 s\)/)
    });
    expect(timed.durationMs).toBeLessThan(10_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const cancelled = await runSandboxed(
      job('cancel', endless, { signal: controller.signal })
    );
    expect(cancelled.outcome).toBe('cancelled');
  });

  it('turns CPU and memory limits into plain reasons', async () => {
    const cpu = await runSandboxed(
      job('cpu', 'while True:\n    pass\n', {
        limits: { ...DEFAULT_LIMITS, cpuSeconds: 1, wallSeconds: 30 }
      })
    );
    expect(cpu).toMatchObject({
      outcome: 'killed',
      reason: expect.stringMatching(/CPU time limit \(1 s\)/)
    });
    const memory = await runSandboxed(
      job(
        'memory',
        'hog = []\nwhile True:\n    hog.append(bytearray(64 * 1024 * 1024))\n',
        { limits: { ...DEFAULT_LIMITS, memoryBytes: 256 * 1024 * 1024 } }
      )
    );
    expect(memory.reason).toMatch(/memory/i);
    expect(memory.reason).toMatch(/256 MiB/);
  });
});

/** Root with namespaces: jobs get control groups (this project's machines and CI). */
const withCgroups =
  process.getuid?.() === 0 && isolationMode() === 'namespaces';

describe('control groups: limits for the whole job', () => {
  (withCgroups ? it : it.failing)(
    'are in place and named in the runtime the attestation states',
    () => {
      expect(jobCgroups()).not.toBeNull();
      expect(describeRuntime().enforced.join('; ')).toMatch(
        /cgroup v[12]: memory and process limits for the whole job/
      );
    }
  );

  (withCgroups ? it : it.failing)(
    'stop a job whose processes, each under the per-process limit, together go over its memory; then are removed',
    async () => {
      // Four processes of ~120 MiB each: every one is under the 256 MiB address-space rlimit,
      // together they are near twice the job's memory. Only a limit for the whole job stops it.
      const script = [
        'import os, time',
        'children = []',
        'for _ in range(4):',
        '    pid = os.fork()',
        '    if pid == 0:',
        "        blob = b'x' * (120 * 1024 * 1024)",
        '        time.sleep(5)',
        '        os._exit(0)',
        '    children.append(pid)',
        'for pid in children:',
        '    _, status = os.waitpid(pid, 0)',
        '    if status != 0:',
        "        raise RuntimeError('a worker died')",
        "open('output/done.txt', 'w').write('all children ended')",
        ''
      ].join('\n');
      const result = await runSandboxed(
        job('group-memory', script, {
          limits: {
            ...DEFAULT_LIMITS,
            memoryBytes: 256 * 1024 * 1024,
            wallSeconds: 60
          }
        })
      );
      expect(result).toMatchObject({
        outcome: 'killed',
        reason:
          'The job went over its memory limit (256 MiB for all its processes together) and the system stopped it.',
        // The RuntimeError the script raised when its worker died is not what the researcher is told.
        failure: null
      });
      const layout = jobCgroups()!.layout;
      const parent = join(
        layout.version === 1 ? layout.memory : layout.root,
        platformFolderName(process.pid, processStartTime('self')!)
      );
      expect(existsSync(parent)).toBe(true);
      expect(
        readdirSync(parent).filter(name => name.startsWith('group-memory-'))
      ).toEqual([]);
    }
  );

  (withCgroups ? it : it.failing)(
    'leave a job that coped with a killed process and exited 0 as it ended',
    async () => {
      // Two workers of ~150 MiB, each under the per-process limit, together over the job's 256 MiB:
      // the kernel kills one; the script notes it and finishes.
      const script = [
        'import os, time',
        'workers = []',
        'for _ in range(2):',
        '    pid = os.fork()',
        '    if pid == 0:',
        "        blob = b'x' * (150 * 1024 * 1024)",
        '        time.sleep(3)',
        '        os._exit(0)',
        '    workers.append(pid)',
        'lost = sum(1 for pid in workers if os.waitpid(pid, 0)[1] != 0)',
        "open('output/note.txt', 'w').write(f'{lost} worker(s) lost; the rest is fine')",
        ''
      ].join('\n');
      const request = job('coped', script, {
        limits: {
          ...DEFAULT_LIMITS,
          memoryBytes: 256 * 1024 * 1024,
          wallSeconds: 60
        }
      });
      const result = await runSandboxed(request);
      expect(result).toMatchObject({
        outcome: 'exited',
        exitCode: 0,
        reason: null
      });
      expect(
        readFileSync(join(request.workDir, 'output', 'note.txt'), 'utf8')
      ).toBe('1 worker(s) lost; the rest is fine');
    }
  );

  it("tell a platform's folder from a reused pid's: only a folder whose process is gone, or started later, is stale", () => {
    const startTimes: Record<number, string> = { 100: '5555', 200: '7777' };
    const startOf = (pid: number) => startTimes[pid] ?? null;
    expect(platformFolderName(100, '5555')).toBe('vce-100-5555');
    expect(isStaleFolder('vce-100-5555', startOf)).toBe(false); // running
    expect(isStaleFolder('vce-200-1234', startOf)).toBe(true); // pid 200 is another process now
    expect(isStaleFolder('vce-300-1234', startOf)).toBe(true); // gone
    expect(isStaleFolder('vce-300', startOf)).toBe(false); // not a name of ours: left alone
    expect(isStaleFolder('machine.slice', startOf)).toBe(false);
    expect(processStartTime('self')).toMatch(/^\d+$/);
  });

  it("read the kernel's count of memory kills in both hierarchies' formats", () => {
    expect(parseOomKills('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n')).toBe(
      2
    ); // v1 memory.oom_control
    expect(
      parseOomKills(
        'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n'
      )
    ).toBe(1); // v2 memory.events
    expect(parseOomKills('oom_kill_disable 0\nunder_oom 0\n')).toBe(0); // kernels before 4.13
  });
});

describe('the failure channel', () => {
  it('passes known exception names, integer lines and files of the job', () => {
    expect(
      parseFailure(
        '{"type": "ValueError", "line": 3, "file": "lib/stats.py"}\n'
      )
    ).toEqual({
      type: 'ValueError',
      line: 3,
      file: 'lib/stats.py',
      message: null
    });
    expect(
      parseFailure(
        '{"type": "QuotaExceededError", "line": 1, "file": "study.ipynb (cell 2)"}'
      )
    ).toEqual({
      type: 'QuotaExceededError',
      line: 1,
      file: 'study.ipynb (cell 2)',
      message: null
    });
  });

  it('keeps the message as text, cut to 1,000 characters (the review decides what is shown)', () => {
    expect(
      parseFailure(
        JSON.stringify({
          type: 'ValidationError',
          line: 4,
          file: 'raw_ids.py',
          message: 'x'.repeat(1500)
        })
      )
    ).toEqual({
      type: 'ValidationError',
      line: 4,
      file: 'raw_ids.py',
      message: 'x'.repeat(1000)
    });
  });

  it('replaces what a script could use to smuggle data out', () => {
    expect(
      parseFailure(
        '{"type": "julia_johnson_cooks", "line": "7100000000046266", "file": "../../etc/passwd"}'
      )
    ).toEqual({
      type: 'an exception class defined in the script',
      line: null,
      file: null,
      message: null
    });
    expect(parseFailure('not json')).toBeNull();
    expect(parseFailure('')).toBeNull();
  });

  it('explains signals in plain words', () => {
    expect(explainEnd(152, null, DEFAULT_LIMITS)).toMatch(
      /CPU time limit \(1200 s\)/
    );
    expect(explainEnd(153, null, DEFAULT_LIMITS)).toMatch(
      /file-size limit \(256 MiB\)/
    );
    expect(explainEnd(137, null, DEFAULT_LIMITS)).toMatch(
      /memory limit \(2048 MiB\)/
    );
    expect(explainEnd(0, null, DEFAULT_LIMITS)).toBeNull();
  });
});
