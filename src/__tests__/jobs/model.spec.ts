import { Signal } from '@lumino/signaling';
import type { StreamState } from '../../events/stream';
import { compareJobs, JobsModel } from '../../jobs/model';
import type { Job } from '../../api/types';
import { FakeJobsApi, flush, makeJob } from '../helpers/jobs-fixtures';

function setup(jobs: Job[] = []) {
  const api = new FakeJobsApi();
  api.jobs = jobs;
  const model = new JobsModel({ api, pageSize: 2, detailDelayMs: 0 });
  const finished: Job[] = [];
  model.finished.connect((_, job) => finished.push(job));
  return { api, model, finished };
}

class FakeSource {
  received = new Signal<this, { type: string }>(this);
  stateChanged = new Signal<this, StreamState>(this);
}

const ids = (model: JobsModel) => model.jobs.map(job => job.job_id);

describe('JobsModel', () => {
  it('is signed out until the connection says otherwise, then loads newest first', async () => {
    const { model, api } = setup([
      makeJob('a', { minute: 1 }),
      makeJob('c', { minute: 3 }),
      makeJob('b', { minute: 2 })
    ]);
    expect(model.phase).toBe('signed-out');
    await model.refresh();
    expect(api.list).not.toHaveBeenCalled();
    model.setSignedIn(true);
    expect(model.phase).toBe('loading');
    await flush();
    expect(model.phase).toBe('ready');
    expect(ids(model)).toEqual(['c', 'b']);
    expect(model.hasMore).toBe(true);
  });

  it('pages through long histories and stops at the end', async () => {
    const jobs = [1, 2, 3, 4, 5].map(minute =>
      makeJob(`j${minute}`, { minute })
    );
    const { model } = setup(jobs);
    model.setSignedIn(true);
    await flush();
    await model.loadMore();
    expect(ids(model)).toEqual(['j5', 'j4', 'j3', 'j2']);
    await model.loadMore();
    expect(ids(model)).toEqual(['j5', 'j4', 'j3', 'j2', 'j1']);
    expect(model.hasMore).toBe(false);
  });

  it('filters by status on the platform and re-reads the first page', async () => {
    const { model, api } = setup([
      makeJob('a', { status: 'approved', minute: 1 }),
      makeJob('b', { status: 'running', minute: 2 })
    ]);
    model.setSignedIn(true);
    await flush();
    await model.setFilter(['approved']);
    expect(api.listCalls.at(-1)).toEqual({
      statuses: ['approved'],
      cursor: undefined
    });
    expect(ids(model)).toEqual(['a']);
    await model.setFilter([]);
    expect(ids(model)).toEqual(['b', 'a']);
  });

  it('shows an error that the researcher can retry, and signed out on 401', async () => {
    const { model, api } = setup([makeJob('a')]);
    api.failList = Object.assign(
      new Error('The platform at x is not answering.'),
      { status: 503 }
    );
    model.setSignedIn(true);
    await flush();
    expect(model.phase).toBe('error');
    expect(model.error?.message).toContain('not answering');
    api.failList = null;
    await model.refresh();
    expect(model.phase).toBe('ready');
    api.failList = Object.assign(new Error('Sign in.'), { status: 401 });
    model.setSignedIn(false);
    model.setSignedIn(true);
    await flush();
    expect(model.phase).toBe('signed-out');
  });

  it('puts a submitted job at the top at once', async () => {
    const { model } = setup([makeJob('old', { minute: 1 })]);
    model.setSignedIn(true);
    await flush();
    model.upsert(makeJob('new', { minute: 30 }));
    expect(ids(model)[0]).toBe('new');
  });

  it('merges a job event at once, then takes the detail from the platform', async () => {
    const { model, api, finished } = setup([
      makeJob('a', { status: 'running', minute: 1 })
    ]);
    model.setSignedIn(true);
    await flush();
    const at = new Date(Date.UTC(2026, 10, 25, 9, 5)).toISOString();
    api.update('a', {
      status: 'approved',
      updated_at: at,
      verdict: {
        decision: 'approved',
        findings: [],
        decided_by: 'automatic',
        reviewer_reason: null,
        reviewed_at: at
      }
    });
    model.applyEvent({ type: 'job', job_id: 'a', status: 'approved', at });
    expect(model.job('a')?.status).toBe('approved');
    expect(model.job('a')?.verdict).toBeNull();
    await flush(5);
    expect(model.job('a')?.verdict?.decision).toBe('approved');
    expect(finished.map(job => job.job_id)).toEqual(['a']);
  });

  it('ignores events older than what it knows and never leaves a final status', async () => {
    const { model, finished } = setup([
      makeJob('a', { status: 'reviewing', minute: 10 })
    ]);
    model.setSignedIn(true);
    await flush();
    model.applyEvent({
      type: 'job',
      job_id: 'a',
      status: 'running',
      at: new Date(Date.UTC(2026, 10, 25, 9, 5)).toISOString()
    });
    expect(model.job('a')?.status).toBe('reviewing');
    model.applyEvent({
      type: 'job',
      job_id: 'a',
      status: 'rejected',
      at: new Date(Date.UTC(2026, 10, 25, 9, 11)).toISOString()
    });
    model.applyEvent({
      type: 'job',
      job_id: 'a',
      status: 'running',
      at: new Date(Date.UTC(2026, 10, 25, 9, 12)).toISOString()
    });
    expect(model.job('a')?.status).toBe('rejected');
    model.upsert(makeJob('a', { status: 'reviewing', minute: 10 }));
    expect(model.job('a')?.status).toBe('rejected');
    expect(finished).toHaveLength(1);
  });

  it('fetches and lists a job it did not know (submitted from elsewhere)', async () => {
    const { model, api } = setup([makeJob('a', { minute: 1 })]);
    model.setSignedIn(true);
    await flush();
    api.jobs.push(makeJob('z', { minute: 40 }));
    model.applyEvent({
      type: 'job',
      job_id: 'z',
      status: 'queued',
      at: new Date().toISOString()
    });
    await flush(5);
    expect(ids(model)[0]).toBe('z');
  });

  it('does not announce jobs that were already finished when listed', async () => {
    const { model, finished } = setup([
      makeJob('done', { status: 'approved' })
    ]);
    model.setSignedIn(true);
    await flush();
    model.upsert(makeJob('done', { status: 'approved' }));
    expect(finished).toEqual([]);
  });

  it('a job leaving the filter leaves the list', async () => {
    const { model } = setup([makeJob('a', { status: 'running', minute: 1 })]);
    model.setSignedIn(true);
    await flush();
    await model.setFilter(['running']);
    model.applyEvent({
      type: 'job',
      job_id: 'a',
      status: 'reviewing',
      at: new Date(Date.UTC(2026, 10, 25, 9, 2)).toISOString()
    });
    expect(ids(model)).toEqual([]);
  });

  it('follows a stream: job events merge, a reconnect re-reads the first page', async () => {
    const { model, api } = setup([
      makeJob('a', { status: 'queued', minute: 1 })
    ]);
    const source = new FakeSource();
    model.follow(source);
    model.setSignedIn(true);
    await flush();
    source.stateChanged.emit('open');
    const calls = api.list.mock.calls.length;
    source.received.emit({ type: 'quota' });
    source.received.emit({
      type: 'job',
      job_id: 'a',
      status: 'running',
      at: new Date(Date.UTC(2026, 10, 25, 9, 2)).toISOString()
    } as never);
    expect(model.job('a')?.status).toBe('running');
    source.stateChanged.emit('waiting');
    source.stateChanged.emit('connecting');
    expect(api.list.mock.calls.length).toBe(calls);
    // Missed while away: the platform moved on.
    api.update('a', {
      status: 'cancelled',
      updated_at: new Date(Date.UTC(2026, 10, 25, 9, 3)).toISOString()
    });
    source.stateChanged.emit('open');
    await flush();
    expect(api.list.mock.calls.length).toBe(calls + 1);
    expect(model.job('a')?.status).toBe('cancelled');
  });

  it('signing out empties the list and drops late answers', async () => {
    const { model } = setup([makeJob('a')]);
    model.setSignedIn(true);
    model.setSignedIn(false);
    await flush();
    expect(model.jobs).toEqual([]);
    expect(model.phase).toBe('signed-out');
  });

  it('orders by creation time, then id', () => {
    const a = makeJob('job_a', { minute: 1 });
    const b = makeJob('job_b', { minute: 1 });
    const c = makeJob('job_c', { minute: 2 });
    expect([a, b, c].sort(compareJobs).map(job => job.job_id)).toEqual([
      'job_c',
      'job_b',
      'job_a'
    ]);
  });
});
