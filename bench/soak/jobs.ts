/**
 * The execution stage as the shield sidebar drives it, through the server
 * extension: submit a script (a job, or a test run), follow it to its end,
 * and for an approved job read its attestation, its submitted script and its
 * results zip, whose SHA-256 must be the one the platform sends with it, then
 * the same zip by the result link mailed to the primary researcher.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { classifyJobEnd, FINAL_STATUSES, type JobEnd } from './classify';
import { sleep, type Answer, type Api } from './http';
import type { Stats } from './stats';

export interface Submission {
  entry: string;
  files: { name: string; content_base64: string }[];
}

export interface Scripts {
  job: Submission;
  testRun: Submission;
}

/** The README's starter script's paging line; a test run reads a smaller page. */
export const STARTER_PAGE = 'page_size=1_000';

function submission(entry: string, text: string): Submission {
  return {
    entry,
    files: [
      { name: entry, content_base64: Buffer.from(text).toString('base64') }
    ]
  };
}

/**
 * The scripts researchers submit: the starter a new clean-room script begins
 * with (approved on the default data, `docs/examples/clean_room_starter.py`),
 * as it is for jobs, and reading a page of 5 records for test runs (a test run
 * charges the sample to the lab's quota).
 */
export function loadScripts(starterPath: string): Scripts {
  const starter = readFileSync(starterPath, 'utf8');
  if (!starter.includes(STARTER_PAGE)) {
    throw new Error(
      `${starterPath} no longer pages with ${STARTER_PAGE}: update bench/soak/jobs.ts.`
    );
  }
  return {
    job: submission('soak_job.py', starter),
    testRun: submission(
      'soak_test_run.py',
      starter.replace(STARTER_PAGE, 'page_size=5')
    )
  };
}

const FOLLOW_POLL_MS = 3000;

interface Job extends JobEnd {
  job_id: string;
  result_available?: boolean;
}

/**
 * Submit and follow one job or test run. `stop` aborts the follow (the soak's
 * end); the job's status then goes to `unfinished`.
 */
export async function submitAndFollow(
  api: Api,
  link: Api,
  stats: Stats,
  stage: 'job' | 'test run',
  body: Submission,
  stop: AbortSignal,
  unfinished: (status: string) => void
): Promise<void> {
  const path = stage === 'job' ? '/vce/api/jobs' : '/vce/api/test-runs';
  const created = await api.call('POST', path, { json: body, signal: stop });
  if (!created || created.outcome.kind !== 'ok') {
    return;
  }
  let job = created.json<{ data: Job }>().data;
  stats.count(`${stage}s submitted`);
  while (!FINAL_STATUSES.includes(job.status)) {
    await sleep(FOLLOW_POLL_MS, stop);
    if (stop.aborted) {
      unfinished(`${stage} ${job.status}`);
      return;
    }
    const answer = await api.call('GET', `/vce/api/jobs/${job.job_id}`, {
      route: '/vce/api/jobs/{id}',
      signal: stop
    });
    if (!answer || answer.outcome.kind !== 'ok') {
      return;
    }
    job = answer.json<{ data: Job }>().data;
  }
  stats.count(`${stage}s ${job.status}`);
  stats.outcome(api.routeName('POST', path), classifyJobEnd(job));
  if (job.status !== 'approved') {
    return;
  }
  await api.call('GET', `/vce/api/jobs/${job.job_id}/attestation`, {
    route: '/vce/api/jobs/{id}/attestation',
    signal: stop
  });
  if (stage === 'job') {
    await api.call('GET', `/vce/api/jobs/${job.job_id}/files`, {
      route: '/vce/api/jobs/{id}/files',
      signal: stop
    });
    const digest = await download(api, stats, job.job_id, stop);
    if (digest !== null) {
      await downloadByMail(api, link, stats, job.job_id, digest, stop);
    }
  }
}

/** A downloaded zip whose SHA-256 is not the one sent with it is an error; its digest, or null. */
function checkedZip(
  api: Api,
  stats: Stats,
  route: string,
  answer: Answer | null
): string | null {
  if (!answer || answer.outcome.kind !== 'ok') {
    return null;
  }
  const sent = answer.headers.get('x-content-sha256');
  const got = createHash('sha256').update(answer.body).digest('hex');
  stats.count('results downloaded');
  if (sent !== got) {
    stats.outcome(api.routeName('GET', route), {
      kind: 'error',
      name: sent
        ? 'zip differs from its X-Content-SHA256'
        : 'no X-Content-SHA256'
    });
    return null;
  }
  return got;
}

async function download(
  api: Api,
  stats: Stats,
  jobId: string,
  stop: AbortSignal
): Promise<string | null> {
  const route = '/vce/api/jobs/{id}/result';
  const answer = await api.call('GET', `/vce/api/jobs/${jobId}/result`, {
    route,
    signal: stop
  });
  return checkedZip(api, stats, route, answer);
}

const RESULT_LINK = /https?:\/\/[^\s/]+(\/v2\/vce\/results\/[A-Za-z0-9_-]+)/;
const MAIL_TRIES = 3;

interface Mail {
  job_id: string;
  kind: string;
  text: string;
}

/**
 * The primary researcher's way: the approved job's mail in the outbox (as
 * the Inbox lists it, through the extension), its result link opened without
 * a token; the zip must be the one the panel downloaded.
 */
async function downloadByMail(
  ext: Api,
  link: Api,
  stats: Stats,
  jobId: string,
  zipDigest: string,
  stop: AbortSignal
): Promise<void> {
  const where = ext.routeName('GET', '/vce/api/outbox');
  for (let attempt = 0; attempt < MAIL_TRIES && !stop.aborted; attempt++) {
    const outbox = await ext.call('GET', '/vce/api/outbox', { signal: stop });
    if (!outbox || outbox.outcome.kind !== 'ok') {
      return;
    }
    const mail = outbox
      .json<{ data: { messages: Mail[] } }>()
      .data.messages.find(m => m.job_id === jobId && m.kind === 'approved');
    const path = mail ? RESULT_LINK.exec(mail.text)?.[1] : undefined;
    if (!path) {
      await sleep(1000, stop);
      continue;
    }
    const route = '/v2/vce/results/{link_token}';
    const answer = await link.call('GET', path, { route, signal: stop });
    const digest = checkedZip(link, stats, route, answer);
    if (digest !== null && digest !== zipDigest) {
      stats.outcome(link.routeName('GET', route), {
        kind: 'error',
        name: "the mailed link's zip differs from the panel's"
      });
    }
    return;
  }
  if (!stop.aborted) {
    stats.outcome(where, {
      kind: 'error',
      name: 'no mail with a result link for an approved job'
    });
  }
}
