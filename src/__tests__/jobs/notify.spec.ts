/**
 * The toast when a job ends: an approved job offers Download; an approved
 * test run says nothing is released and offers nothing to download.
 */
import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import type { Job } from '../../api/types';
import type { JobsModel } from '../../jobs/model';
import { notifyWhenFinished } from '../../jobs/notify';
import { makeJob } from '../helpers/jobs-fixtures';

function setUp(): { finish: (job: Job) => void; emit: jest.SpyInstance } {
  const owner = {};
  const finished = new Signal<object, Job>(owner);
  const emit = jest
    .spyOn(Notification, 'emit')
    .mockImplementation(() => 'toast');
  notifyWhenFinished({
    model: { finished } as unknown as JobsModel,
    trans: nullTranslator.load('jupyterlab_vce'),
    enabled: () => true,
    resultsFolder: () => 'dcr-results',
    onScreen: () => false,
    openJob: () => undefined,
    download: () => undefined
  });
  return { finish: job => finished.emit(job), emit };
}

const labels = (emit: jest.SpyInstance): string[] =>
  (emit.mock.calls[0][2].actions as Notification.IAction[]).map(
    action => action.label
  );

afterEach(() => jest.restoreAllMocks());

describe('notifyWhenFinished', () => {
  it('offers the results of an approved job for download', () => {
    const { finish, emit } = setUp();
    finish(makeJob('job_1', { status: 'approved', result_available: true }));
    expect(emit.mock.calls[0][0]).toContain('was approved');
    expect(emit.mock.calls[0][1]).toBe('success');
    expect(labels(emit)).toEqual(['Open', 'Download']);
  });

  it('says an approved test run releases nothing, and offers no download', () => {
    const { finish, emit } = setUp();
    finish(makeJob('job_2', { status: 'approved', stage: 'test' }));
    expect(emit.mock.calls[0][0]).toContain('the test run of analysis.py');
    expect(emit.mock.calls[0][0]).toContain(
      'Nothing is released from a test run.'
    );
    expect(labels(emit)).toEqual(['Open']);
  });

  it('names a test run that failed as a test run', () => {
    const { finish, emit } = setUp();
    finish(makeJob('job_3', { status: 'failed', stage: 'test' }));
    expect(emit.mock.calls[0][0]).toBe(
      'Data Clean Room: the test run of analysis.py (job_3) ended: Failed.'
    );
    expect(emit.mock.calls[0][1]).toBe('error');
  });
});
