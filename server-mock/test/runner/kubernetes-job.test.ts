import { parseAllDocuments, stringify } from 'yaml';
import { ClusterJobError } from '../../src/runner/cluster-job';
import {
  JOB_ID_LABEL,
  kubernetesJobManifest,
  kubernetesJobResult,
  type KubernetesObject
} from '../../src/runner/kubernetes-job';
import { DEFAULT_LIMITS, prlimitOptions } from '../../src/runner/sandbox';
import {
  EXAMPLE_TOKEN,
  exampleJob,
  KUBERNETES_EXAMPLE
} from './cluster-example';

/** The objects of one job, by kind. */
function byKind(objects: KubernetesObject[]): Record<string, any> {
  return Object.fromEntries(objects.map(object => [object.kind, object]));
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

describe('kubernetesJobManifest', () => {
  const job = exampleJob();
  const objects = kubernetesJobManifest(job, KUBERNETES_EXAMPLE);
  const { Job, NetworkPolicy, Secret } = byKind(objects);
  const pod = Job.spec.template.spec;
  const container = pod.containers[0];

  it('makes a Secret, a NetworkPolicy and a batch/v1 Job, in that order, in the namespace', () => {
    expect(objects.map(object => [object.apiVersion, object.kind])).toEqual([
      ['v1', 'Secret'],
      ['networking.k8s.io/v1', 'NetworkPolicy'],
      ['batch/v1', 'Job']
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe('vce-jobs');
      expect(object.metadata.name).toMatch(DNS_1123_LABEL);
      expect(object.metadata.labels[JOB_ID_LABEL]).toBe(job.id);
    }
    expect(Job.metadata.name).toBe('vce-job-20261206150000a1b2c3d4e5');
  });

  it('is valid YAML that reads back as the same objects (kubectl apply -f)', () => {
    const text = objects.map(object => stringify(object)).join('---\n');
    const documents = parseAllDocuments(text);
    expect(documents.map(document => document.errors)).toEqual([[], [], []]);
    expect(documents.map(document => document.toJS())).toEqual(objects);
    // Plain YAML, no anchors or aliases.
    expect(text).not.toMatch(/[&*]a\d/);
    expect(JSON.parse(JSON.stringify(objects))).toEqual(objects);
  });

  it('limits the Job with the job limits the local sandbox uses', () => {
    expect(Job.spec.activeDeadlineSeconds).toBe(DEFAULT_LIMITS.wallSeconds);
    expect(Job.spec.backoffLimit).toBe(0);
    expect(Job.spec.completions).toBe(1);
    expect(Job.spec.parallelism).toBe(1);
    expect(Job.spec.ttlSecondsAfterFinished).toBe(600);
    expect(container.resources).toEqual({
      limits: { memory: String(2 * 1024 ** 3), cpu: '1' },
      requests: { memory: String(2 * 1024 ** 3), cpu: '1' }
    });
    // The per-process limits: the same prlimit options as the local sandbox, word for word.
    const command: string = container.command[2];
    expect(command).toContain(
      `prlimit ${prlimitOptions(job.limits).join(' ')} --`
    );
  });

  it('follows other limits without drifting', () => {
    const limits = {
      ...DEFAULT_LIMITS,
      wallSeconds: 120,
      memoryBytes: 512 * 1024 ** 2,
      cpuSeconds: 60
    };
    const small = byKind(
      kubernetesJobManifest(exampleJob(limits), KUBERNETES_EXAMPLE)
    );
    expect(small.Job.spec.activeDeadlineSeconds).toBe(120);
    expect(
      small.Job.spec.template.spec.containers[0].resources.limits.memory
    ).toBe(String(512 * 1024 ** 2));
    expect(small.Job.spec.template.spec.containers[0].command[2]).toContain(
      '--cpu=60:65'
    );
  });

  it('runs under gVisor, not as root, with nothing to escalate and no service account token', () => {
    expect(pod.runtimeClassName).toBe('gvisor');
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 61000,
      runAsGroup: 61000,
      seccompProfile: { type: 'RuntimeDefault' }
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] }
    });
    expect(pod.initContainers).toBeUndefined();
    expect(pod.hostNetwork).toBeUndefined();
  });

  it('gives the job its own folders of the platform volume and a small memory /tmp', () => {
    expect(container.workingDir).toBe('/mnt/work');
    expect(container.volumeMounts).toEqual([
      {
        name: 'platform-data',
        mountPath: '/mnt/work',
        subPath: `jobs/${job.id}/work`
      },
      {
        name: 'platform-data',
        mountPath: '/mnt/logs',
        subPath: `jobs/${job.id}/logs`
      },
      { name: 'tmp', mountPath: '/tmp' }
    ]);
    expect(pod.volumes).toEqual([
      {
        name: 'platform-data',
        persistentVolumeClaim: { claimName: 'vce-platform-data' }
      },
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }
    ]);
    expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(container.command[2]).toMatch(
      /^exec prlimit .* -- python3 -s -E -B \/opt\/vce\/runtime\/bootstrap\.py \/opt\/vce\/python analysis\.py >\/mnt\/logs\/stdout\.txt 2>\/mnt\/logs\/stderr\.txt 3>\/mnt\/logs\/failure\.jsonl$/
    );
  });

  it('passes the scrubbed environment, the token only through its Secret', () => {
    const env = Object.fromEntries(
      container.env.map((entry: any) => [
        entry.name,
        entry.value ?? entry.valueFrom
      ])
    );
    expect(env).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      PYTHONIOENCODING: 'utf-8',
      OMP_NUM_THREADS: '1',
      OPENBLAS_NUM_THREADS: '1',
      MPLBACKEND: 'Agg',
      VCE_JOB_ID: job.id,
      RQS_API_URL: 'http://vce-gateway:8912',
      RQS_ACCESS_TOKEN: {
        secretKeyRef: {
          name: `${Job.metadata.name}-token`,
          key: 'RQS_ACCESS_TOKEN'
        }
      }
    });
    expect(Secret.metadata.name).toBe(`${Job.metadata.name}-token`);
    expect(Secret.type).toBe('Opaque');
    expect(Secret.immutable).toBe(true);
    expect(Secret.stringData).toEqual({ RQS_ACCESS_TOKEN: EXAMPLE_TOKEN });
    // The token is in the Secret and nowhere else.
    expect(JSON.stringify([Job, NetworkPolicy])).not.toContain(EXAMPLE_TOKEN);
  });

  it('lets the job reach the data gateway and nothing else: no DNS, no ingress', () => {
    expect(NetworkPolicy.spec).toEqual({
      podSelector: { matchLabels: { [JOB_ID_LABEL]: job.id } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        {
          to: [
            {
              podSelector: {
                matchLabels: { 'app.kubernetes.io/name': 'vce-data-gateway' }
              }
            }
          ],
          ports: [{ protocol: 'TCP', port: 8912 }]
        }
      ]
    });
    // The policy selects this job's pod.
    expect(Job.spec.template.metadata.labels[JOB_ID_LABEL]).toBe(job.id);
    expect(pod.dnsPolicy).toBe('None');
    expect(pod.dnsConfig).toEqual({ nameservers: ['127.0.0.1'] });
    expect(pod.hostAliases).toEqual([
      { ip: '10.96.20.15', hostnames: ['vce-gateway'] }
    ]);
  });

  it('refuses what would make an unsafe or broken manifest, saying why', () => {
    expect(() =>
      kubernetesJobManifest(
        exampleJob(DEFAULT_LIMITS, 'job_../../etc'),
        KUBERNETES_EXAMPLE
      )
    ).toThrow(/is not one the platform makes/);
    expect(() =>
      kubernetesJobManifest(job, {
        ...KUBERNETES_EXAMPLE,
        gateway: { ...KUBERNETES_EXAMPLE.gateway, podLabels: {} }
      })
    ).toThrow(/would let the job reach every pod/);
    expect(() =>
      kubernetesJobManifest(job, {
        ...KUBERNETES_EXAMPLE,
        gateway: { ...KUBERNETES_EXAMPLE.gateway, serviceIp: 'vce-gateway.svc' }
      })
    ).toThrow(/ClusterIP/);
    expect(() =>
      kubernetesJobManifest(job, {
        ...KUBERNETES_EXAMPLE,
        dataDir: '/elsewhere'
      })
    ).toThrow(/not inside the platform's data dir/);
    expect(() =>
      kubernetesJobManifest(
        exampleJob(DEFAULT_LIMITS, undefined, ''),
        KUBERNETES_EXAMPLE
      )
    ).toThrow(ClusterJobError);
  });
});

describe('kubernetesJobResult', () => {
  const job = exampleJob();
  const ran = {
    startedAt: '2026-12-06T15:00:00Z',
    finishedAt: '2026-12-06T15:00:42Z'
  };

  it('reads a deadline as timed out, in the local sandbox words', () => {
    const result = kubernetesJobResult(job, {
      conditions: [
        { type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }
      ],
      terminated: { exitCode: 137, ...ran },
      failureReport: ''
    });
    expect(result).toEqual({
      outcome: 'timed_out',
      exitCode: 137,
      signal: null,
      reason:
        'The job ran longer than its wall-time limit (1800 s) and was stopped.',
      failure: null,
      durationMs: 42_000
    });
  });

  it('reads an OOM kill as the memory limit', () => {
    const result = kubernetesJobResult(job, {
      conditions: [
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }
      ],
      terminated: { exitCode: 137, reason: 'OOMKilled', ...ran },
      failureReport: ''
    });
    expect(result.outcome).toBe('killed');
    expect(result.reason).toMatch(/over its memory limit \(2048 MiB/);
  });

  it("reads the script's exception from the failure channel, sanitised", () => {
    const result = kubernetesJobResult(job, {
      conditions: [
        { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }
      ],
      terminated: { exitCode: 1, reason: 'Error', ...ran },
      failureReport: '{"type": "KeyError", "line": 12, "file": "analysis.py"}\n'
    });
    expect(result).toEqual({
      outcome: 'exited',
      exitCode: 1,
      signal: null,
      reason: null,
      failure: {
        type: 'KeyError',
        line: 12,
        file: 'analysis.py',
        message: null
      },
      durationMs: 42_000
    });
  });

  it('reads a clean exit, a CPU-time kill and a pod that never ran', () => {
    expect(
      kubernetesJobResult(job, {
        conditions: [{ type: 'Complete', status: 'True' }],
        terminated: { exitCode: 0, reason: 'Completed', ...ran },
        failureReport: ''
      }).outcome
    ).toBe('exited');
    expect(
      kubernetesJobResult(job, {
        conditions: [{ type: 'Failed', status: 'True' }],
        terminated: { exitCode: 128 + 24, ...ran },
        failureReport: ''
      }).reason
    ).toMatch(/CPU time limit \(1200 s\)/);
    const never = kubernetesJobResult(job, {
      conditions: [
        { type: 'Failed', status: 'True', reason: 'PodFailurePolicy' }
      ],
      terminated: null,
      failureReport: ''
    });
    expect(never.outcome).toBe('killed');
    expect(never.reason).toMatch(/did not run the job \(PodFailurePolicy\)/);
  });
});
