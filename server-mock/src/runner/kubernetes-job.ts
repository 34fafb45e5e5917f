import {
  checkJob,
  clusterJobCommand,
  clusterJobEnvironment,
  clusterJobName,
  ClusterJobError,
  pathInDataDir,
  type JobRuntimePaths
} from './cluster-job';
import type { ExecutionResult, JobDefinition } from './executor';
import { explainEnd, parseFailure } from './sandbox';

/**
 * A clean-room job as Kubernetes objects: a `batch/v1` Job running the job
 * under gVisor (`runtimeClassName`), its NetworkPolicy (no ingress, no egress
 * but the data gateway) and the Secret holding its data token. What a
 * Kubernetes executor behind the executor seam (./executor.ts) would apply in
 * `execute`; docs/scaling.md maps every method. Pure: it builds objects.
 *
 * The numbers are the job's own limits (JobDefinition.limits, the same the
 * local sandbox enforces: ./sandbox.ts DEFAULT_LIMITS and the CLI flags).
 * The Kubernetes fields and their meaning: docs/research/hub-scaleout.md §6
 * (activeDeadlineSeconds → DeadlineExceeded, backoffLimit default 6,
 * ttlSecondsAfterFinished, runtimeClassName: gvisor because "containers are
 * not a sandbox"); the choices made here: docs/scaling.md.
 */

/** The data gateway as jobs reach it: a Service in front of the platform's gateway pods. */
export interface GatewayEndpoint {
  /** The name jobs use for it (the pod's /etc/hosts: jobs have no DNS). */
  host: string;
  /** The Service's ClusterIP. */
  serviceIp: string;
  /** The Service's port (in RQS_API_URL). */
  port: number;
  /** The gateway pods' port (what the NetworkPolicy allows: it sees traffic after the Service's translation). */
  targetPort: number;
  /** The gateway pods' labels (the NetworkPolicy's only egress destination). */
  podLabels: Record<string, string>;
}

export interface KubernetesJobSettings {
  namespace: string;
  /** The job image (python, util-linux's prlimit, the runtime at `runtime`); pin it by digest. */
  image: string;
  /** The platform's data dir: the root of the shared volume `dataVolumeClaim`. */
  dataDir: string;
  /** The PersistentVolumeClaim holding the platform's data dir (ReadWriteMany: the platform writes it too). */
  dataVolumeClaim: string;
  gateway: GatewayEndpoint;
  /** CPU cores (limit = request). Default 1: the local platform runs 2 jobs on 2 cores, with OMP/BLAS threads at 1 (./sandbox.ts). */
  cpu?: string;
  /** The RuntimeClass whose handler is gVisor's runsc (default `gvisor`). */
  runtimeClassName?: string;
  /** Seconds Kubernetes keeps a finished Job (and its pod) before deleting it (default 600). */
  ttlSecondsAfterFinished?: number;
  /** The job's uid and gid (default 61000, the local sandbox's first job uid). */
  uid?: number;
  runtime?: JobRuntimePaths;
}

export const DEFAULT_JOB_RUNTIME: JobRuntimePaths = {
  runtimeDir: '/opt/vce/runtime',
  pyrqsParent: '/opt/vce/python',
  python: 'python3'
};
/** The label that ties a job's objects together (and selects its pod in the NetworkPolicy). */
export const JOB_ID_LABEL = 'vce-mock/job-id';
export const TOKEN_KEY = 'RQS_ACCESS_TOKEN';
/** The job's /tmp: memory-backed and small, as the local sandbox's 64 MiB tmpfs (sandbox/launch.sh). */
export const TMP_SIZE = '64Mi';
const WORK = '/mnt/work';
const LOGS = '/mnt/logs';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
  };
  [field: string]: unknown;
}

function labelsOf(job: JobDefinition): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'vce-clean-room-job',
    'app.kubernetes.io/managed-by': 'vce-mock',
    [JOB_ID_LABEL]: job.id
  };
}

/** The Secret, the NetworkPolicy and the Job for one clean-room job, in the order to apply them. */
export function kubernetesJobManifest(
  job: JobDefinition,
  settings: KubernetesJobSettings
): KubernetesObject[] {
  checkJob(job);
  const { gateway, namespace } = settings;
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(gateway.serviceIp)) {
    throw new ClusterJobError(
      `The gateway's serviceIp ${JSON.stringify(gateway.serviceIp)} must be the Service's ClusterIP (jobs have no DNS to resolve a name).`
    );
  }
  if (Object.keys(gateway.podLabels).length === 0) {
    throw new ClusterJobError(
      "The gateway's podLabels are empty: the NetworkPolicy would let the job reach every pod."
    );
  }
  if (!job.data.accessToken) {
    throw new ClusterJobError(
      `Job ${job.id} has no data token: a job that runs gets one (the release step's definitions have none).`
    );
  }
  const name = clusterJobName(job);
  const labels = labelsOf(job);
  // Each object gets its own copy of the labels (no shared references: YAML would alias them).
  const metadata = (suffix: string) => ({
    name: `${name}${suffix}`.slice(0, 63),
    namespace,
    labels: { ...labels }
  });
  const runtime = settings.runtime ?? DEFAULT_JOB_RUNTIME;
  const uid = settings.uid ?? 61000;
  const cpu = settings.cpu ?? '1';
  const memory = String(job.limits.memoryBytes);
  const tokenSecret = metadata('-token');
  const environment = clusterJobEnvironment(
    job,
    `http://${gateway.host}:${gateway.port}`
  );
  const env = Object.entries(environment).map(([key, value]) =>
    key === TOKEN_KEY
      ? {
          name: key,
          valueFrom: {
            secretKeyRef: { name: tokenSecret.name, key: TOKEN_KEY }
          }
        }
      : { name: key, value }
  );

  const secret: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: tokenSecret,
    type: 'Opaque',
    immutable: true,
    stringData: { [TOKEN_KEY]: job.data.accessToken }
  };

  const networkPolicy: KubernetesObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata('-egress'),
    spec: {
      podSelector: { matchLabels: { [JOB_ID_LABEL]: job.id } },
      policyTypes: ['Ingress', 'Egress'],
      // Nothing may connect to the job.
      ingress: [],
      // The job may connect to the gateway's pods on the gateway's port, and to nothing else (no DNS either).
      egress: [
        {
          to: [{ podSelector: { matchLabels: gateway.podLabels } }],
          ports: [{ protocol: 'TCP', port: gateway.targetPort }]
        }
      ]
    }
  };

  const jobObject: KubernetesObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(''),
    spec: {
      // A failed script is not run again: it would fail the same way, read the
      // data (and charge the quota) a second time, and the lifecycle owns the
      // attempts (maxAttempts, for a platform stopped mid-job).
      backoffLimit: 0,
      completions: 1,
      parallelism: 1,
      // The wall-time limit: Kubernetes ends the Job (reason DeadlineExceeded).
      activeDeadlineSeconds: job.limits.wallSeconds,
      ttlSecondsAfterFinished: settings.ttlSecondsAfterFinished ?? 600,
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          runtimeClassName: settings.runtimeClassName ?? 'gvisor',
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // No DNS (an exfiltration channel through the cluster's resolver): the gateway's name is in /etc/hosts.
          dnsPolicy: 'None',
          dnsConfig: { nameservers: ['127.0.0.1'] },
          hostAliases: [{ ip: gateway.serviceIp, hostnames: [gateway.host] }],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: uid,
            seccompProfile: { type: 'RuntimeDefault' }
          },
          containers: [
            {
              name: 'job',
              image: settings.image,
              imagePullPolicy: 'IfNotPresent',
              command: [
                '/bin/sh',
                '-c',
                clusterJobCommand(job, runtime, { work: WORK, logs: LOGS })
              ],
              workingDir: WORK,
              env,
              // Limits = requests: the job gets what it may use (Guaranteed QoS, not evicted first).
              resources: {
                limits: { memory, cpu },
                requests: { memory, cpu }
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ['ALL'] }
              },
              volumeMounts: [
                {
                  name: 'platform-data',
                  mountPath: WORK,
                  subPath: pathInDataDir(settings.dataDir, job.workDir)
                },
                {
                  name: 'platform-data',
                  mountPath: LOGS,
                  subPath: pathInDataDir(settings.dataDir, job.logsDir)
                },
                { name: 'tmp', mountPath: '/tmp' }
              ]
            }
          ],
          volumes: [
            {
              name: 'platform-data',
              persistentVolumeClaim: { claimName: settings.dataVolumeClaim }
            },
            {
              name: 'tmp',
              emptyDir: { medium: 'Memory', sizeLimit: TMP_SIZE }
            }
          ]
        }
      }
    }
  };
  return [secret, networkPolicy, jobObject];
}

/** What `status` reads of a finished Job: its conditions, and its pod's container state. */
export interface KubernetesJobOutcome {
  conditions: { type: string; status: string; reason?: string }[];
  /** The job container's `state.terminated`, when the pod ran. */
  terminated: {
    exitCode: number;
    reason?: string;
    startedAt?: string;
    finishedAt?: string;
  } | null;
  /** The failure channel's content (the job's logs folder, FAILURE_FILE). */
  failureReport: string;
}

/** A finished Job as the lifecycle's ExecutionResult, in the local sandbox's words (./sandbox.ts). */
export function kubernetesJobResult(
  job: JobDefinition,
  outcome: KubernetesJobOutcome
): ExecutionResult {
  const { limits } = job;
  const terminated = outcome.terminated;
  const durationMs =
    terminated?.startedAt && terminated.finishedAt
      ? Date.parse(terminated.finishedAt) - Date.parse(terminated.startedAt)
      : 0;
  const failed = outcome.conditions.find(
    condition => condition.type === 'Failed' && condition.status === 'True'
  );
  if (failed?.reason === 'DeadlineExceeded') {
    return {
      outcome: 'timed_out',
      exitCode: terminated?.exitCode ?? null,
      signal: null,
      reason: `The job ran longer than its wall-time limit (${limits.wallSeconds} s) and was stopped.`,
      failure: null,
      durationMs
    };
  }
  if (terminated?.reason === 'OOMKilled') {
    return {
      outcome: 'killed',
      exitCode: terminated.exitCode,
      signal: null,
      reason: `The job went over its memory limit (${Math.round(limits.memoryBytes / 1024 ** 2)} MiB for all its processes together) and the system stopped it.`,
      failure: null,
      durationMs
    };
  }
  if (!terminated) {
    return {
      outcome: 'killed',
      exitCode: null,
      signal: null,
      reason: `The cluster did not run the job (${failed?.reason ?? 'no pod'}); nothing of it ran. Report it with the job id.`,
      failure: null,
      durationMs
    };
  }
  const failure =
    terminated.exitCode === 1 ? parseFailure(outcome.failureReport) : null;
  const ended = explainEnd(terminated.exitCode, null, limits);
  return {
    outcome: ended ? 'killed' : 'exited',
    exitCode: terminated.exitCode,
    signal: null,
    reason: ended,
    failure,
    durationMs
  };
}
