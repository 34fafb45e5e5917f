/**
 * The frontend's constants are the platform contract's
 * (server-mock/openapi.yaml, read here with server-mock's `yaml`): the job
 * status list and the submission limits. Their types come from the generated
 * src/api/platform.d.ts (a literal that drifts fails to compile); this checks
 * the values and the order against the document itself. server-mock and the
 * server extension check theirs against the same document.
 */
import {
  MAX_ENTRY_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES
} from '../../jobs/submission';
import { MAX_REASON } from '../../review/model';
import {
  FINAL_STATUSES,
  JOB_STATUSES,
  JOB_STATUSES_COMPLETE
} from '../../jobs/statuses';

declare const require: (id: string) => any;
declare const __dirname: string;
const path = require('path');
const SERVER_MOCK = path.join(__dirname, '../../../server-mock');
const { parse } = require(path.join(SERVER_MOCK, 'node_modules/yaml'));
const document = parse(
  require('fs').readFileSync(path.join(SERVER_MOCK, 'openapi.yaml'), 'utf8')
);
const schemas = document.components.schemas;

describe('the constants of server-mock/openapi.yaml', () => {
  it('JOB_STATUSES is the JobStatus enum, in order', () => {
    expect(schemas.JobStatus.enum).toHaveLength(9);
    expect([...JOB_STATUSES]).toEqual(schemas.JobStatus.enum);
    expect(JOB_STATUSES_COMPLETE).toBe(true);
  });

  it('FINAL_STATUSES is x-vce-final, the statuses a job never leaves', () => {
    expect([...FINAL_STATUSES]).toEqual(schemas.JobStatus['x-vce-final']);
  });

  it('the submission limits are SubmissionLimits: 200 files, 20 MiB, a 2 MiB script', () => {
    const limits = schemas.SubmissionLimits.properties;
    expect({ MAX_FILES, MAX_TOTAL_BYTES, MAX_ENTRY_BYTES }).toEqual({
      MAX_FILES: limits.max_files.const,
      MAX_TOTAL_BYTES: limits.max_total_bytes.const,
      MAX_ENTRY_BYTES: limits.max_entry_bytes.const
    });
    expect([MAX_FILES, MAX_TOTAL_BYTES, MAX_ENTRY_BYTES]).toEqual([
      200,
      20 * 1024 * 1024,
      2 * 1024 * 1024
    ]);
  });

  it('MAX_REASON is the longest reason decideReview takes', () => {
    const body =
      document.paths['/v2/vce/review/jobs/{job_id}/decision/'].post.requestBody
        .content['application/json'].schema;
    expect(body.properties.reason.maxLength).toBe(MAX_REASON);
    expect(body.properties.decision.enum).toEqual(['approve', 'reject']);
  });

  it('names the payloads the frontend reads by their generated types', () => {
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'AttestationStatement',
        'JobEvent',
        'QuotaEvent',
        'PlatformEvent',
        'SubmissionLimits'
      ])
    );
    expect(schemas.PlatformEvent.discriminator).toEqual({
      propertyName: 'type',
      mapping: {
        job: '#/components/schemas/JobEvent',
        quota: '#/components/schemas/QuotaEvent'
      }
    });
  });
});
