/** The reviewer's queue: role, reasons, and the model's refresh and decisions. */
import { VCEApiError } from '../../api/request';
import { plainTranslate } from '../../common/translate';
import {
  decisionBody,
  MAX_REASON,
  reviewerRole,
  reasonProblem,
  ReviewModel
} from '../../review/model';
import { flush } from '../helpers/jobs-fixtures';
import { viewerFor } from '../../review/viewer';
import {
  FakeReviewApi,
  makeReviewItem,
  makeReviewOutput
} from '../helpers/review-fixtures';
import { makeStatus, signedOut } from '../helpers/status-fixtures';

const trans = plainTranslate;

describe('reviewerRole', () => {
  it('keeps the last answer while the platform is unreachable, and drops it when signed out', () => {
    const status = makeStatus();
    const reviewer = makeStatus({
      identity: { ...status.identity!, role: 'reviewer' }
    });
    const unreachable = makeStatus({ identity: null, quota: null });
    expect(reviewerRole(false, reviewer)).toBe(true);
    expect(reviewerRole(true, unreachable)).toBe(true);
    expect(reviewerRole(false, unreachable)).toBe(false);
    expect(reviewerRole(true, status)).toBe(false);
    expect(reviewerRole(true, signedOut())).toBe(false);
    expect(reviewerRole(true, null)).toBe(true);
  });
});

describe('reasonProblem and decisionBody', () => {
  it('a rejection needs a reason; an approval may go without', () => {
    expect(reasonProblem('reject', '   ', trans)).toBe(
      'Say why the job is rejected: the researcher reads it to fix the script.'
    );
    expect(reasonProblem('approve', '', trans)).toBeNull();
    expect(reasonProblem('reject', 'Column 3 is a single video.', trans)).toBe(
      null
    );
  });

  it("refuses more than the platform's 2,000 characters", () => {
    expect(MAX_REASON).toBe(2000);
    expect(reasonProblem('approve', 'x'.repeat(2001), trans)).toBe(
      'The reason has 2,001 characters: at most 2,000 are taken.'
    );
    expect(reasonProblem('approve', ` ${'x'.repeat(2000)} `, trans)).toBe(null);
  });

  it('sends the reason trimmed, or the default of an approval', () => {
    expect(decisionBody('reject', '  too small  ', trans)).toEqual({
      decision: 'reject',
      reason: 'too small'
    });
    const approved = decisionBody('approve', ' ', trans);
    expect(approved.decision).toBe('approve');
    expect(approved.reason).toContain('A reviewer checked');
  });
});

describe('ReviewModel', () => {
  function setup() {
    const api = new FakeReviewApi();
    api.queue = [makeReviewItem('job_a'), makeReviewItem('job_b')];
    const model = new ReviewModel({ api, refreshIntervalMs: 0 });
    const changes = jest.fn();
    model.changed.connect(changes);
    return { api, model, changes };
  }

  it('asks nothing while inactive (not a reviewer)', async () => {
    const { api, model } = setup();
    await model.refresh();
    expect(api.queueCalls).toBe(0);
    expect(model.phase).toBe('inactive');
  });

  it('loads the queue when activated, and forgets it when not', async () => {
    const { api, model, changes } = setup();
    model.setActive(true);
    expect(model.phase).toBe('loading');
    await flush();
    expect(model.phase).toBe('ready');
    expect(model.jobs.map(job => job.job_id)).toEqual(['job_a', 'job_b']);
    expect(model.refreshedAt).not.toBeNull();
    expect(changes).toHaveBeenCalled();
    model.setActive(true); // no second load
    expect(api.queueCalls).toBe(1);
    model.setActive(false);
    expect(model.phase).toBe('inactive');
    expect(model.jobs).toEqual([]);
  });

  it('concurrent refreshes share one request', async () => {
    const { api, model } = setup();
    model.setActive(true);
    await flush();
    await Promise.all([model.refresh(), model.refresh(), model.refresh()]);
    expect(api.queueCalls).toBe(2);
  });

  it('says why the queue could not be read, and recovers', async () => {
    const { api, model } = setup();
    api.failQueue = new VCEApiError(
      503,
      'platform_unreachable',
      'The platform at http://127.0.0.1:8911 is not answering (Connection refused).'
    );
    model.setActive(true);
    await flush();
    expect(model.phase).toBe('error');
    expect(model.error).toContain('is not answering');
    api.failQueue = null;
    await model.refresh();
    expect(model.phase).toBe('ready');
    expect(model.error).toBeNull();
    expect(model.jobs).toHaveLength(2);
  });

  it('a decision leaves the queue once the platform took it', async () => {
    const { api, model } = setup();
    model.setActive(true);
    await flush();
    const sending = model.decide('job_a', {
      decision: 'reject',
      reason: 'too small'
    });
    expect(model.isDeciding('job_a')).toBe(true);
    await expect(
      model.decide('job_a', { decision: 'approve', reason: 'x' })
    ).rejects.toThrow('already being sent');
    const decided = await sending;
    expect(decided.status).toBe('rejected');
    expect(model.isDeciding('job_a')).toBe(false);
    expect(model.jobs.map(job => job.job_id)).toEqual(['job_b']);
    expect(api.decisions).toEqual([
      { jobId: 'job_a', decision: { decision: 'reject', reason: 'too small' } }
    ]);
  });

  it('a refused decision keeps the job and rejects with the message', async () => {
    const { api, model } = setup();
    model.setActive(true);
    await flush();
    api.failDecision = new VCEApiError(
      409,
      'review_not_pending',
      "Job job_a is approved and not waiting for a reviewer's decision."
    );
    await expect(
      model.decide('job_a', { decision: 'approve', reason: 'fine' })
    ).rejects.toThrow('not waiting for a reviewer');
    expect(model.jobs).toHaveLength(2);
    expect(model.isDeciding('job_a')).toBe(false);
  });
});

describe("ReviewModel: a job's files", () => {
  function setup() {
    const api = new FakeReviewApi();
    api.queue = [makeReviewItem('job_a'), makeReviewItem('job_b')];
    api.outputs.set('job_a', [makeReviewOutput('chart.svg')]);
    api.outputs.set('job_b', [makeReviewOutput('summary.csv')]);
    const model = new ReviewModel({ api, refreshIntervalMs: 0 });
    return { api, model };
  }

  it("lists each job's files once with the queue, and forgets a decided job's", async () => {
    const { api, model } = setup();
    model.setActive(true);
    await flush();
    expect(model.outputsOf('job_a')).toEqual({
      state: 'ready',
      files: [makeReviewOutput('chart.svg')],
      error: null
    });
    expect(model.outputsOf('job_b')!.files.map(file => file.name)).toEqual([
      'summary.csv'
    ]);
    await model.refresh();
    expect(api.outputCalls.sort()).toEqual(['job_a', 'job_b']); // not again
    await model.decide('job_a', { decision: 'approve', reason: 'fine' });
    expect(model.outputsOf('job_a')).toBeNull();
    api.queue = [makeReviewItem('job_c')];
    await model.refresh();
    expect(model.outputsOf('job_b')).toBeNull();
    expect(model.outputsOf('job_c')).toEqual({
      state: 'ready',
      files: [],
      error: null
    });
  });

  it('keeps why the files could not be listed, and lists them again on the next refresh', async () => {
    const { api, model } = setup();
    api.failOutputs = new Error('The platform is not answering.');
    model.setActive(true);
    await flush();
    expect(model.outputsOf('job_a')).toEqual({
      state: 'error',
      files: [],
      error: 'The platform is not answering.'
    });
    api.failOutputs = null;
    await model.refresh();
    await flush();
    expect(model.outputsOf('job_a')!.state).toBe('ready');
  });

  it('saves a file, busy while it does, and keeps the reason of a failure beside it', async () => {
    const { api, model } = setup();
    model.setActive(true);
    await flush();
    const saving = model.saveOutput('job_a', 'chart.svg');
    expect(model.isOpening('job_a', 'chart.svg')).toBe(true);
    await expect(model.saveOutput('job_a', 'chart.svg')).rejects.toThrow(
      'chart.svg is already being opened.'
    );
    expect((await saving).path).toBe('vce-review/job_a/chart.svg');
    expect(model.isOpening('job_a', 'chart.svg')).toBe(false);
    await expect(model.saveOutput('job_a', 'gone.csv')).rejects.toThrow(
      'Job job_a has no output "gone.csv".'
    );
    expect(model.openError('job_a', 'gone.csv')).toBe(
      'Job job_a has no output "gone.csv".'
    );
    expect(model.openError('job_a', 'chart.svg')).toBeNull();
    expect(api.saved).toEqual([{ jobId: 'job_a', name: 'chart.svg' }]);
    model.setActive(false);
    expect(model.openError('job_a', 'gone.csv')).toBeNull();
    expect(model.outputsOf('job_a')).toBeNull();
  });
});

// The factory names of JupyterLab 4's csvviewer, imageviewer and fileeditor extensions.
describe('viewerFor', () => {
  it.each([
    ['text/csv', 'csv', 'CSVTable'],
    ['image/png', 'png', 'Image'],
    ['image/jpeg', 'jpg', 'Image'],
    ['image/svg+xml', 'svg', 'Image (Text)'],
    ['text/plain', 'log', 'Editor'],
    ['text/plain; charset=utf-8', 'txt', 'Editor'],
    ['text/markdown', 'md', 'Editor'],
    ['text/html', 'html', 'Editor'],
    ['application/json', 'json', 'Editor'],
    ['application/octet-stream', 'parquet', null]
  ])('%s (%s) opens in %s', (media_type, kind, factory) => {
    expect(viewerFor({ media_type, kind })).toBe(factory);
  });
});
