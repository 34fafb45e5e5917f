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
import { FakeReviewApi, makeReviewItem } from '../helpers/review-fixtures';
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
