import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findingLine, rejectedMail } from '../../src/jobs/messages';
import type { JobRecord, JobVerdict } from '../../src/jobs/model';
import { linkState, mailedOrigin } from '../../src/release/links';
import { ALICE } from '../helpers/helpers';
import {
  HONEST_SCRIPT,
  startJobsPlatform,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/** A script whose table has a count below the threshold: rejected, with `"<10"` in its mail. */
const SMALL_COUNTS = [
  'import csv, os',
  'with open(os.path.join("output", "regions.csv"), "w", newline="") as handle:',
  '    writer = csv.writer(handle)',
  '    writer.writerow(["region_code", "video_count"])',
  '    writer.writerow(["US", 120])',
  '    writer.writerow(["FR", 3])',
  ''
].join('\n');

/** The text of an .eml's body (quoted-printable undone, headers left out). */
function emlBody(eml: string): string {
  const body = eml.slice(eml.indexOf('\n\n') + 2);
  return Buffer.from(
    body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`),
    'latin1'
  )
    .toString('latin1')
    .replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16))
    );
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the rejection mail names each place once', () => {
  // Findings as the review writes them (tables.ts, identifiers): the message already says where.
  const SMALL = {
    file: 'regions.csv',
    location: 'column 2 (video_count): row 2',
    message:
      'regions.csv, column 2 (video_count): 1 count below 10 (row 2). Groups this small can single people out: merge them into larger groups or suppress them (write them as "<10").'
  };
  const ROWS = {
    file: 'per_video.csv',
    location: 'column 1 (region_code), column 2 (create_time)',
    message:
      'per_video.csv: 200 of 200 rows checked each match exactly one video of the data set on column 1 (region_code), column 2 (create_time).'
  };
  const PLAIN = {
    file: 'codes.csv',
    location: 'column 1 (code)',
    message: 'A column holds ids of the data set.'
  };

  it.each([SMALL, ROWS])(
    'a message that starts with its file stands alone: %#',
    finding => {
      const line = findingLine(finding);
      expect(line).toBe(finding.message);
      expect(occurrences(line, finding.file)).toBe(1);
      expect(occurrences(line, 'column 2')).toBe(1);
    }
  );

  it('a message that does not say where gets the file and location in front', () => {
    expect(findingLine(PLAIN)).toBe(
      'codes.csv (column 1 (code)): A column holds ids of the data set.'
    );
    expect(findingLine({ ...PLAIN, location: null })).toBe(
      'codes.csv: A column holds ids of the data set.'
    );
  });

  it('the whole mail says the file and place once per reason', () => {
    const job = { jobId: 'job_1', entry: 'small.py' } as JobRecord;
    const verdict = {
      decision: 'rejected',
      decided_by: 'automatic',
      reviewer_reason: null,
      findings: [SMALL, ROWS].map(finding => ({
        ...finding,
        severity: 'fail',
        rule: 'small_counts'
      }))
    } as unknown as JobVerdict;
    const { text } = rejectedMail(job, verdict);
    expect(occurrences(text, 'regions.csv')).toBe(1);
    expect(occurrences(text, 'per_video.csv')).toBe(1);
    expect(occurrences(text, 'column 2 (video_count)')).toBe(1);
    expect(text).toContain(`  - ${SMALL.message}`);
  });
});

describe('linkState', () => {
  const release = { expiresAt: '2026-12-10T00:00:00.000Z', archive: '/a.zip' };
  it('is active until it expires, then expired; gone without its archive', () => {
    const there = () => true;
    expect(linkState(release, new Date('2026-12-09T23:59:59Z'), there)).toEqual(
      { state: 'active', expires_at: release.expiresAt }
    );
    expect(linkState(release, new Date('2026-12-10T00:00:00Z'), there)).toEqual(
      { state: 'expired', expires_at: release.expiresAt }
    );
    expect(linkState(release, new Date(), () => false).state).toBe('gone');
    expect(linkState(null, new Date(), there)).toEqual({
      state: 'gone',
      expires_at: null
    });
  });

  it('is moved when the mail names another address than the platform has now', () => {
    const there = () => true;
    const day = new Date('2026-12-09T00:00:00Z');
    const text =
      'ready to download:\n\nhttp://127.0.0.1:44195/v2/vce/results/KS495WIA\n\nThe link';
    expect(mailedOrigin(text)).toBe('http://127.0.0.1:44195');
    expect(mailedOrigin('Your job was not released.')).toBeNull();
    const at = (current: string) =>
      linkState(release, day, there, { mailed: mailedOrigin(text), current })
        .state;
    expect(at('http://127.0.0.1:44195')).toBe('active');
    expect(at('http://127.0.0.1:44195/')).toBe('active');
    expect(at('http://127.0.0.1:40001')).toBe('moved');
    // Expired and gone say more than moved.
    expect(
      linkState(release, new Date('2026-12-11T00:00:00Z'), there, {
        mailed: 'http://127.0.0.1:1',
        current: 'http://127.0.0.1:2'
      }).state
    ).toBe('expired');
  });
});

describe('the outbox over real HTTP', () => {
  let platform: JobsPlatform;
  let alice: string;
  let clock = 0;
  beforeAll(async () => {
    platform = await startJobsPlatform({
      app: { now: () => new Date(Date.now() + clock) }
    });
    alice = await platform.signIn(ALICE);
  });
  afterAll(async () => platform.close());

  const mailOf = async (jobId: string) =>
    (await platform.call('GET', '/v2/vce/outbox/', { token: alice }))
      .json()
      .data.messages.find(
        (message: { job_id: string }) => message.job_id === jobId
      );

  /** The job's mail once it is written to the outbox (it leaves just after the verdict). */
  const sentMailOf = async (jobId: string) => {
    for (let tries = 0; tries < 100; tries++) {
      const mail = await mailOf(jobId);
      if (mail?.file) {
        return mail;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`no mail for ${jobId} in the outbox`);
  };

  const run = async (name: string, script: string, status: string) => {
    const job = (await platform.submit(alice, name, { [name]: script })).json()
      .data;
    const done = await platform.waitFor(alice, job.job_id, [
      'approved',
      'rejected',
      'failed'
    ]);
    expect(done.status).toBe(status);
    return job.job_id as string;
  };

  it('gives the text as the .eml has it: "<10", never &lt;10; no link state for a rejection', async () => {
    const jobId = await run('small.py', SMALL_COUNTS, 'rejected');
    const mail = await sentMailOf(jobId);
    expect(mail.text).toContain('(write them as "<10")');
    expect(mail.text).not.toContain('&lt;');
    expect(mail.link).toBeNull();
    const eml = readFileSync(
      join(platform.dataDir, 'outbox', mail.file),
      'utf8'
    );
    expect(emlBody(eml).trim()).toBe(mail.text.trim());
    expect(occurrences(mail.text, 'regions.csv')).toBe(1);
  });

  it("says whether an approved mail's link works: active, then expired, then gone", async () => {
    const jobId = await run('analysis.py', HONEST_SCRIPT, 'approved');
    const mail = await mailOf(jobId);
    expect(mail.link).toEqual({
      state: 'active',
      expires_at: expect.any(String)
    });
    const link = /http:\/\/\S+\/v2\/vce\/results\/\S+/.exec(mail.text)![0];
    expect((await fetch(link)).status).toBe(200);

    clock = 8 * 24 * 3600 * 1000; // past the week a link works (and the token's hour)
    alice = await platform.signIn(ALICE);
    expect((await mailOf(jobId)).link.state).toBe('expired');
    expect((await fetch(link)).status).toBe(410);

    clock = 0;
    alice = await platform.signIn(ALICE);
    const archive = join(platform.dataDir, 'releases', `${jobId}.zip`);
    expect(existsSync(archive)).toBe(true);
    rmSync(archive);
    expect((await mailOf(jobId)).link.state).toBe('gone');
    expect((await fetch(link)).status).toBe(404);
  });
});
