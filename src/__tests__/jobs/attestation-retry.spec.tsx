/**
 * The attestation verifier (jose) loads at the first verification: when that
 * load fails, the detail says so in words (not "Loading chunk … failed") and
 * offers to check again, which loads it again.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import type { StreamState } from '../../events/stream';
import { JobActions } from '../../jobs/actions';
import { JobsModel } from '../../jobs/model';
import { PanelState } from '../../jobs/state';
import { jobsWidget } from '../../jobs/views';
import { FakeJobsApi, flush, makeJob } from '../helpers/jobs-fixtures';

jest.mock('jose', () => {
  const error = new Error('Loading chunk vendors-node_modules_jose failed.');
  error.name = 'ChunkLoadError';
  throw error;
});

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');

it('says the verifier could not be loaded and offers to check again', async () => {
  const job = makeJob('job-1', { status: 'approved' });
  const api = new FakeJobsApi();
  api.jobs = [job];
  api.attestation.mockResolvedValue({ jws: 'a.b.c' });
  api.jwks.mockResolvedValue({ keys: [] });
  const model = new JobsModel({ api, detailDelayMs: 0 });
  const state = new PanelState();
  const actions = new JobActions({
    api,
    model,
    state,
    trans,
    contents: { get: jest.fn() },
    email: () => 'pi@example.org'
  } as any);
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
  const section = () =>
    list.node.querySelector('.jp-vce-Attestation') as HTMLElement;
  expect(section()).not.toBeNull();
  await act(async () => {
    await actions.verify(job.job_id);
    await flush();
  });
  expect(section().textContent).toContain(
    'Part of the VCE extension (the attestation verifier) could not be loaded from the server'
  );
  expect(section().textContent).not.toMatch(/chunk/i);
  const again = [...section().querySelectorAll('button')].find(
    button => button.textContent === 'Check again'
  );
  expect(again).toBeDefined();
  const verify = jest.spyOn(actions, 'verify');
  await act(async () => {
    again!.click();
    await flush();
  });
  expect(verify).toHaveBeenCalledWith(job.job_id);
  await act(async () => list.dispose());
});
