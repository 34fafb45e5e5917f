import type { IJobsApi } from '../../api/client';
import type { Job, JobPage, JobStatus } from '../../api/types';

/** A job as the platform answers it; times are minutes after a fixed start. */
export function makeJob(
  id: string,
  overrides: Partial<Job> & { minute?: number } = {}
): Job {
  const minute = overrides.minute ?? 0;
  const at = new Date(Date.UTC(2026, 10, 25, 9, minute)).toISOString();
  const { minute: _minute, ...rest } = overrides;
  const status: JobStatus = rest.status ?? 'queued';
  return {
    job_id: id,
    entry: 'analysis.py',
    stage: 'execution',
    status,
    created_at: at,
    updated_at: at,
    started_at: null,
    finished_at: null,
    runtime_seconds: null,
    attempts: 0,
    records_read: 0,
    resubmitted_from: null,
    reason: null,
    failure: null,
    error_report: null,
    files: [{ name: 'analysis.py', bytes: 10, sha256: 'a'.repeat(64) }],
    history: [{ status, at, note: '' }],
    verdict: null,
    outputs: [],
    result_available: false,
    ...rest
  };
}

/** A jobs API over an in-memory list, newest first, paged like the platform. */
export class FakeJobsApi implements IJobsApi {
  jobs: Job[] = [];
  failList: Error | null = null;
  listCalls: { statuses?: readonly string[]; cursor?: string | null }[] = [];

  list = jest.fn(
    async (
      options: {
        statuses?: readonly string[];
        pageSize?: number;
        cursor?: string | null;
      } = {}
    ): Promise<JobPage> => {
      this.listCalls.push({
        statuses: options.statuses,
        cursor: options.cursor
      });
      if (this.failList) {
        throw this.failList;
      }
      const matching = this.jobs
        .filter(
          job =>
            !options.statuses?.length || options.statuses.includes(job.status)
        )
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
      const start = options.cursor ? Number(options.cursor) : 0;
      const size = options.pageSize ?? 20;
      const page = matching.slice(start, start + size);
      const more = start + size < matching.length;
      return {
        jobs: page,
        cursor: more ? String(start + size) : null,
        has_more: more
      };
    }
  );
  get = jest.fn(async (jobId: string) => {
    const job = this.jobs.find(item => item.job_id === jobId);
    if (!job) {
      throw Object.assign(new Error(`There is no job ${jobId}.`), {
        status: 404
      });
    }
    return job;
  });
  submit = jest.fn(async () => makeJob('job_new', { minute: 59 }));
  testRun = jest.fn(async () =>
    makeJob('job_test', { minute: 59, stage: 'test' })
  );
  cancel = jest.fn(async (jobId: string) => ({
    ...(await this.get(jobId)),
    status: 'cancelled' as JobStatus
  }));
  resubmit = jest.fn(async () => makeJob('job_again', { minute: 58 }));
  file = jest.fn(async () => ({
    name: 'analysis.py',
    bytes: 5,
    sha256: 'a'.repeat(64),
    encoding: 'utf-8' as const,
    content: 'print'
  }));
  attestation = jest.fn();
  jwks = jest.fn();
  outbox = jest.fn(async () => ({
    transport: 'outbox' as const,
    messages: []
  }));
  saveResults = jest.fn();
  downloadResults = jest.fn();

  /** Change a stored job, as the platform would. */
  update(jobId: string, changes: Partial<Job>): Job {
    const index = this.jobs.findIndex(job => job.job_id === jobId);
    this.jobs[index] = { ...this.jobs[index], ...changes };
    return this.jobs[index];
  }
}

export const flush = (ms = 0) =>
  new Promise(resolve => setTimeout(resolve, ms));
