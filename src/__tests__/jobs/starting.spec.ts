import { JobsModel } from '../../jobs/model';
import { FakeJobsApi, flush, makeJob } from '../helpers/jobs-fixtures';

const platformStarting = () =>
  Object.assign(
    new Error('The local platform is starting; try again in a moment.'),
    { status: 503, code: 'platform_starting' }
  );

function setup() {
  const api = new FakeJobsApi();
  api.jobs = [makeJob('a', { minute: 1 }), makeJob('b', { minute: 2 })];
  const model = new JobsModel({ api, detailDelayMs: 0 });
  return { api, model };
}

const ids = (model: JobsModel) => model.jobs.map(job => job.job_id);

describe('JobsModel while the platform does not answer yet (starting)', () => {
  it('waits (loading, no call), then reads once the platform answers', async () => {
    const { api, model } = setup();
    model.setSignedIn(true, false);
    await flush();
    expect(api.list).not.toHaveBeenCalled();
    expect(model.phase).toBe('loading');
    await model.refresh();
    expect(api.list).not.toHaveBeenCalled();
    model.setSignedIn(true, true);
    await flush();
    expect(api.list).toHaveBeenCalledTimes(1);
    expect(model.phase).toBe('ready');
    expect(ids(model)).toEqual(['b', 'a']);
  });

  it('ignores a 503 still on its way, and reads again once it answers', async () => {
    const { api, model } = setup();
    api.failList = platformStarting();
    model.setSignedIn(true);
    model.setSignedIn(true, false);
    await flush();
    expect(model.phase).toBe('loading');
    expect(model.error).toBeNull();
    api.failList = null;
    model.setSignedIn(true, true);
    await flush();
    expect(model.phase).toBe('ready');
    expect(ids(model)).toEqual(['b', 'a']);
  });

  it('keeps the jobs shown while it does not answer, and re-reads them after', async () => {
    const { api, model } = setup();
    model.setSignedIn(true);
    await flush();
    model.setSignedIn(true, false);
    expect(model.phase).toBe('ready');
    expect(ids(model)).toEqual(['b', 'a']);
    api.jobs.push(makeJob('c', { minute: 3 }));
    model.setSignedIn(true, true);
    await flush();
    expect(api.list).toHaveBeenCalledTimes(2);
    expect(ids(model)).toEqual(['c', 'b', 'a']);
  });

  it('signed out while starting empties the list', async () => {
    const { api, model } = setup();
    model.setSignedIn(true, false);
    model.setSignedIn(false, false);
    expect(model.phase).toBe('signed-out');
    model.setSignedIn(false, true);
    await flush();
    expect(api.list).not.toHaveBeenCalled();
    expect(model.phase).toBe('signed-out');
  });
});
