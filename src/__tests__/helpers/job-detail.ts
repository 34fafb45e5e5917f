import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import type { Job } from '../../api/types';
import type { StreamState } from '../../events/stream';
import { JobActions } from '../../jobs/actions';
import { JobsModel } from '../../jobs/model';
import { PanelState } from '../../jobs/state';
import { jobsWidget } from '../../jobs/views';
import { FakeJobsApi, flush } from './jobs-fixtures';

/** What a test holds of the jobs panel opened on one job's detail. */
export interface IOpenDetail {
  api: FakeJobsApi;
  actions: JobActions;
  /** The panel's widget, attached to the document (dispose it after the test). */
  list: Widget;
}

/**
 * The jobs panel, signed in, with `job`'s detail open; `prepare` sets the
 * fake platform's answers before anything is read.
 */
export async function openJobDetail(
  job: Job,
  prepare: (api: FakeJobsApi) => void = () => undefined
): Promise<IOpenDetail> {
  const trans = nullTranslator.load('jupyterlab_vce');
  const api = new FakeJobsApi();
  api.jobs = [job];
  prepare(api);
  const model = new JobsModel({ api, detailDelayMs: 0 });
  const actions = new JobActions({
    api,
    model,
    state: new PanelState(),
    trans,
    contents: { get: jest.fn() },
    email: () => 'pi@example.org'
  } as unknown as ConstructorParameters<typeof JobActions>[0]);
  const list = jobsWidget(
    {
      actions,
      trans,
      signIn: jest.fn(),
      streamState: () => 'open' as StreamState
    },
    new Signal<unknown, StreamState>({})
  );
  await act(async () => Widget.attach(list, document.body));
  await act(async () => {
    model.setSignedIn(true);
    await flush();
  });
  await act(async () => {
    await actions.open(job.job_id);
    await flush();
  });
  return { api, actions, list };
}
