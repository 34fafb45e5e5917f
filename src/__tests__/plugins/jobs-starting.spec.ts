/**
 * The jobs plugin while the embedded platform starts in the background: the
 * first status is `starting` with `signed_in` true (the server holds the
 * local client already) and the platform's calls answer 503
 * `platform_starting`. The list waits, then reads once the status turns
 * `connected` — though `signed_in` never changed.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

jest.mock('../../jobs/notify', () => ({ notifyWhenFinished: jest.fn() }));
import type { IVCEStatus } from '../../api/types';
import type { StreamState } from '../../events/stream';
import type { JobsModel } from '../../jobs/model';
import { notifyWhenFinished } from '../../jobs/notify';
import { jobsPlugin } from '../../plugins/jobs';
import { PlatformStatusModel } from '../../status/model';
import type { IVCEConnection } from '../../tokens';
import { FakeJobsApi, flush, makeJob } from '../helpers/jobs-fixtures';
import { makeStatus } from '../helpers/status-fixtures';

const STARTING_MESSAGE =
  'The local platform is starting; try again in a moment.';

const starting = (): IVCEStatus =>
  makeStatus({
    platform_url: null,
    identity: null,
    quota: null,
    platform: { state: 'starting', message: STARTING_MESSAGE }
  });

/** The platform's answer to any call while it starts. */
const platformStarting = () =>
  Object.assign(new Error(STARTING_MESSAGE), {
    status: 503,
    code: 'platform_starting'
  });

class FakeEvents {
  received = new Signal<this, { type: string }>(this);
  stateChanged = new Signal<this, StreamState>(this);
  connect = jest.fn();
}

async function activate(answers: IVCEStatus[]) {
  const api = new FakeJobsApi();
  api.jobs = [makeJob('job_b', { minute: 2 }), makeJob('job_a', { minute: 1 })];
  api.failList = platformStarting();
  const client = {
    getStatus: jest.fn(async () =>
      answers.length > 1 ? answers.shift()! : answers[0]
    ),
    signIn: jest.fn(),
    signOut: jest.fn()
  };
  const status = new PlatformStatusModel({
    client,
    startingIntervalMs: 1_000_000,
    refreshIntervalMs: 1_000_000
  });
  const connection = {
    client: api,
    status,
    events: new FakeEvents()
  } as unknown as IVCEConnection;
  const app = {
    commands: new CommandRegistry(),
    contextMenu: { addItem: jest.fn() },
    shell: { add: jest.fn(), activateById: jest.fn() },
    serviceManager: { contents: {} },
    restored: Promise.resolve()
  } as unknown as JupyterFrontEnd;
  await jobsPlugin.activate(app, connection, ...Array(8).fill(null));
  // The model the plugin made (the one the list shows), as handed to the notifications.
  const model: JobsModel =
    jest.mocked(notifyWhenFinished).mock.calls[0][0].model;
  return { api, status, model };
}

describe('the jobs list while the embedded platform starts', () => {
  afterEach(() => jest.mocked(notifyWhenFinished).mockClear());

  it('waits while starting, then lists the jobs once connected, with no error', async () => {
    const { api, status, model } = await activate([starting(), makeStatus()]);
    await status.refresh();
    expect(status.phase).toBe('starting');
    await flush();
    expect(api.list).not.toHaveBeenCalled();
    expect(model.phase).toBe('loading');
    expect(model.error).toBeNull();

    api.failList = null; // the platform answers now
    await status.refresh();
    expect(status.phase).toBe('connected');
    await flush();
    expect(api.list).toHaveBeenCalledTimes(1);
    expect(model.phase).toBe('ready');
    expect(model.error).toBeNull();
    expect(model.jobs.map(job => job.job_id)).toEqual(['job_b', 'job_a']);
    status.dispose();
  });

  it('reads at once when the first status is connected (as before)', async () => {
    const { api, status, model } = await activate([makeStatus()]);
    api.failList = null;
    await status.refresh();
    await flush();
    expect(api.list).toHaveBeenCalledTimes(1);
    expect(model.phase).toBe('ready');
    status.dispose();
  });
});
