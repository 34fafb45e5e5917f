import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FINAL_STATUSES, JOB_STATUSES } from '../src/jobs/model';
import {
  MAX_ENTRY_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES
} from '../src/jobs/submission';
import { assertEventStream, assertSchema } from './helpers/openapi-conformance';

/**
 * The stand-in's constants are the contract's (openapi.yaml): the job status
 * list and the submission limits. The frontend (src/__tests__/api/contract.spec.ts)
 * and the server extension (jupyterlab_vce/tests/test_contract.py) check
 * theirs against the same document.
 */
const document = parse(
  readFileSync(join(__dirname, '..', 'openapi.yaml'), 'utf8')
);
const schemas = document.components.schemas;

describe('the constants of openapi.yaml', () => {
  it('JOB_STATUSES is the JobStatus enum, in order', () => {
    expect(schemas.JobStatus.enum).toHaveLength(9);
    expect([...JOB_STATUSES]).toEqual(schemas.JobStatus.enum);
  });

  it('FINAL_STATUSES is x-vce-final, the statuses a job never leaves', () => {
    expect([...FINAL_STATUSES]).toEqual(schemas.JobStatus['x-vce-final']);
    expect(schemas.JobStatus.enum).toEqual(
      expect.arrayContaining(schemas.JobStatus['x-vce-final'])
    );
  });

  it('the submission limits are SubmissionLimits, and JobSubmission says the same', () => {
    const limits = schemas.SubmissionLimits.properties;
    expect({ MAX_FILES, MAX_TOTAL_BYTES, MAX_ENTRY_BYTES }).toEqual({
      MAX_FILES: limits.max_files.const,
      MAX_TOTAL_BYTES: limits.max_total_bytes.const,
      MAX_ENTRY_BYTES: limits.max_entry_bytes.const
    });
    expect([MAX_FILES, MAX_TOTAL_BYTES]).toEqual([200, 20 * 1024 * 1024]);
    expect(schemas.JobSubmission.properties.files.maxItems).toBe(MAX_FILES);
    expect(document.paths['/v2/vce/jobs/'].post['x-vce-limits']).toEqual({
      $ref: '#/components/schemas/SubmissionLimits'
    });
  });

  it('QuotaEvent is Quota and its type', () => {
    expect(schemas.QuotaEvent.required).toEqual([
      'type',
      ...schemas.Quota.required
    ]);
    expect(Object.keys(schemas.QuotaEvent.properties)).toEqual([
      'type',
      ...Object.keys(schemas.Quota.properties)
    ]);
  });
});

describe('the payload schemas', () => {
  const statement = {
    iss: 'vce-mock',
    iat: 1_767_225_600,
    job_id: 'job_1',
    stage: 'execution',
    project_id: 'p1',
    entry: 'analysis.py',
    status: 'approved',
    verdict: 'approved',
    submitted_files: [{ name: 'analysis.py', sha256: 'a'.repeat(64) }],
    outputs: [{ name: 'videos_by_region.csv', sha256: 'b'.repeat(64) }],
    runtime: { python: '3.11', limits: {} },
    times: {
      submitted_at: '2026-01-01T00:00:00.000Z',
      started_at: null,
      finished_at: null
    }
  };

  it('AttestationStatement takes what the runner signs (jobs-api checks every served attestation) and refuses drift', () => {
    expect(() => assertSchema('AttestationStatement', statement)).not.toThrow();
    expect(() =>
      assertSchema('AttestationStatement', {
        ...statement,
        verdict: null,
        status: 'failed',
        outputs: []
      })
    ).not.toThrow();
    expect(() =>
      assertSchema('AttestationStatement', { ...statement, stage: 'job' })
    ).toThrow(/stage/);
    expect(() =>
      assertSchema('AttestationStatement', { ...statement, status: 'done' })
    ).toThrow(/status/);
    expect(() =>
      assertSchema('AttestationStatement', { ...statement, extra: 1 })
    ).toThrow(/additional/);
    const { times: _times, ...untimed } = statement;
    expect(() => assertSchema('AttestationStatement', untimed)).toThrow(
      /times/
    );
  });

  it('PlatformEvent is a JobEvent or a QuotaEvent, told apart by type', () => {
    const job = {
      type: 'job',
      job_id: 'job_1',
      status: 'queued',
      at: '2026-01-01T00:00:00.000Z'
    };
    const quota = {
      type: 'quota',
      day: '2026-01-01',
      daily_limit: 5000,
      used: 7,
      remaining: 4993,
      resets_at: '2026-01-02T00:00:00.000Z'
    };
    expect(() => assertSchema('PlatformEvent', job)).not.toThrow();
    expect(() => assertSchema('PlatformEvent', quota)).not.toThrow();
    expect(() =>
      assertSchema('PlatformEvent', { ...job, status: 'done' })
    ).toThrow();
    expect(() =>
      assertSchema('PlatformEvent', { ...quota, type: 'job' })
    ).toThrow();
    expect(() =>
      assertSchema('PlatformEvent', { ...quota, remaining: undefined })
    ).toThrow();
    const frame = (event: object, name: string) =>
      `event: ${name}\ndata: ${JSON.stringify(event)}\n\n`;
    expect(
      assertEventStream(
        `retry: 2000\n: hello\n\n${frame(quota, 'quota')}id: 3\n${frame(job, 'job')}`
      )
    ).toEqual([quota, job]);
    expect(() => assertEventStream(frame(job, 'quota'))).toThrow(
      /event: quota carries a job event/
    );
  });
});
