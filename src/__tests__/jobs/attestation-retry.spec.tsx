/**
 * The attestation verifier (jose) loads at the first verification: when that
 * load fails, the detail says so in words (not "Loading chunk … failed") and
 * offers to check again, which loads it again.
 */
import { act } from 'react';
import { openJobDetail } from '../helpers/job-detail';
import { flush, makeJob } from '../helpers/jobs-fixtures';

jest.mock('jose', () => {
  const error = new Error('Loading chunk vendors-node_modules_jose failed.');
  error.name = 'ChunkLoadError';
  throw error;
});

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;

it('says the verifier could not be loaded and offers to check again', async () => {
  const job = makeJob('job-1', { status: 'approved' });
  const { actions, list } = await openJobDetail(job, api => {
    api.attestation.mockResolvedValue({ jws: 'a.b.c' });
    api.jwks.mockResolvedValue({ keys: [] });
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
