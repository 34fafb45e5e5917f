/**
 * The reviewer's queue in the shield panel: what each job shows (client,
 * findings), the buttons, the empty and failed states; and the decision
 * dialog's flow (a reason required to reject, a refusal shown again).
 */
import { showDialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import { VCEApiError } from '../../api/request';
import { decideWithDialog } from '../../review/actions';
import { ReviewModel } from '../../review/model';
import { ReviewSection } from '../../review/panel';
import { ReasonBody } from '../../review/views/ReasonBody';
import { flush } from '../helpers/jobs-fixtures';
import {
  FakeReviewApi,
  makeReviewItem,
  makeReviewOutput
} from '../helpers/review-fixtures';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn(),
  Notification: { success: jest.fn(), warning: jest.fn() }
}));

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');
const dialog = showDialog as jest.MockedFunction<typeof showDialog>;

/** The dialog's answer: its button and the reason typed. */
function answer(accept: boolean, value: string | null) {
  return {
    button: { accept, displayType: accept ? 'default' : 'default' },
    value,
    isChecked: null
  } as never;
}

const cleanups: Array<() => void> = [];
afterEach(async () => {
  dialog.mockReset();
  await act(async () => cleanups.splice(0).forEach(cleanup => cleanup()));
});

async function renderQueue(
  api: FakeReviewApi,
  openInLab: jest.Mock<boolean, [string, string]> = jest.fn(
    (_path: string, _factory: string) => true
  )
) {
  const model = new ReviewModel({ api, refreshIntervalMs: 0 });
  const section = new ReviewSection(model, trans, openInLab);
  await act(async () => {
    Widget.attach(section, document.body);
    model.setActive(true);
    await flush();
  });
  cleanups.push(() => {
    section.dispose();
    model.dispose();
  });
  return { model, section, openInLab };
}

describe('the review queue', () => {
  it('shows each job with its client and what the automatic review found', async () => {
    const api = new FakeReviewApi();
    api.queue = [
      makeReviewItem('job_a'),
      makeReviewItem('job_b', { client_key: 'bob', entry: 'dir/tables.py' })
    ];
    const { section } = await renderQueue(api);
    const text = section.node.textContent ?? '';
    expect(text).toContain('2 jobs waiting for a decision');
    const cards = section.node.querySelectorAll('.jp-vce-ReviewItem');
    expect(cards).toHaveLength(2);
    expect(cards[1].textContent).toContain('tables.py');
    expect(cards[1].textContent).toContain('bob');
    expect(cards[0].textContent).toContain('1,200'); // records read
    expect(cards[0].textContent).toContain(
      'Sent to a reviewer: a person checks what no rule can decide.'
    );
    const finding = cards[0].querySelector('.jp-vce-Finding')!;
    expect(finding.getAttribute('data-rule')).toBe('extreme_values');
    expect(finding.textContent).toContain('minimums and maximums');
    const buttons = [...cards[0].querySelectorAll('button')].map(
      button => button.textContent
    );
    expect(buttons).toEqual(['Approve…', 'Reject…']);
  });

  it('says when nothing waits, and reads the queue again on ⟳', async () => {
    const api = new FakeReviewApi();
    const { section } = await renderQueue(api);
    expect(section.node.textContent).toContain(
      'No job is waiting for a reviewer.'
    );
    api.queue = [makeReviewItem('job_new')];
    await act(async () => {
      (
        section.node.querySelector('.jp-vce-Refresh') as HTMLButtonElement
      ).click();
      await flush();
    });
    expect(section.node.querySelectorAll('.jp-vce-ReviewItem')).toHaveLength(1);
  });

  it('reads the queue again when it comes into view', async () => {
    const api = new FakeReviewApi();
    const { section } = await renderQueue(api);
    const before = api.queueCalls;
    await act(async () => {
      section.hide();
      section.show();
      await flush();
    });
    expect(api.queueCalls).toBe(before + 1);
  });

  it('says so while not connected (the queue inactive)', async () => {
    const api = new FakeReviewApi();
    const { model, section } = await renderQueue(api);
    await act(async () => model.setActive(false));
    expect(section.node.textContent).toContain(
      'Not connected to the platform: the queue shows again once the connection is back'
    );
  });

  it('says why the queue could not be read, with a way to try again', async () => {
    const api = new FakeReviewApi();
    api.failQueue = new VCEApiError(
      403,
      'forbidden',
      "GET /v2/vce/review/jobs/ is for the platform's reviewers; this client is a researcher."
    );
    const { section } = await renderQueue(api);
    const alert = section.node.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain(
      "The review queue could not be read: GET /v2/vce/review/jobs/ is for the platform's reviewers"
    );
    api.failQueue = null;
    api.queue = [makeReviewItem('job_a')];
    await act(async () => {
      (alert.querySelector('button') as HTMLButtonElement).click();
      await flush();
    });
    expect(section.node.querySelector('[role="alert"]')).toBeNull();
    expect(section.node.querySelectorAll('.jp-vce-ReviewItem')).toHaveLength(1);
  });

  it('Reject… opens the decision dialog for that job, and the job leaves once decided', async () => {
    const api = new FakeReviewApi();
    api.queue = [makeReviewItem('job_a'), makeReviewItem('job_b')];
    const { section } = await renderQueue(api);
    dialog.mockResolvedValueOnce(answer(true, 'Column 3 singles out a video.'));
    await act(async () => {
      const card = section.node.querySelector('[data-job-id="job_b"]')!;
      (card.querySelectorAll('button')[1] as HTMLButtonElement).click();
      await flush();
    });
    expect(dialog.mock.calls[0][0]!.title).toBe('Reject job job_b');
    expect(api.decisions).toEqual([
      {
        jobId: 'job_b',
        decision: {
          decision: 'reject',
          reason: 'Column 3 singles out a video.'
        }
      }
    ]);
    const left = [...section.node.querySelectorAll('.jp-vce-ReviewItem')].map(
      card => card.getAttribute('data-job-id')
    );
    expect(left).toEqual(['job_a']);
  });
});

describe('decideWithDialog', () => {
  async function activeModel() {
    const api = new FakeReviewApi();
    api.queue = [makeReviewItem('job_a')];
    const model = new ReviewModel({ api, refreshIntervalMs: 0 });
    model.setActive(true);
    await flush();
    return { api, model };
  }

  it('asks again, saying why, when a rejection has no reason', async () => {
    const { api, model } = await activeModel();
    dialog
      .mockResolvedValueOnce(answer(true, '  '))
      .mockResolvedValueOnce(answer(true, 'Too few videos per region.'));
    const decided = await decideWithDialog(
      model,
      model.jobs[0],
      'reject',
      trans
    );
    expect(decided?.status).toBe('rejected');
    expect(dialog).toHaveBeenCalledTimes(2);
    const second = dialog.mock.calls[1][0]!.body as ReasonBody;
    expect(second).toBeInstanceOf(ReasonBody);
    await act(async () => {
      Widget.attach(second, document.body);
      await flush();
    });
    expect(second.node.querySelector('[role="alert"]')!.textContent).toBe(
      'Say why the job is rejected: the researcher reads it to fix the script.'
    );
    expect(
      (second.node.querySelector('textarea') as HTMLTextAreaElement).value
    ).toBe('  ');
    await act(async () => second.dispose());
    expect(api.decisions[0].decision.reason).toBe('Too few videos per region.');
  });

  it('shows the refusal in the dialog again, and cancelling sends nothing more', async () => {
    const { api, model } = await activeModel();
    api.failDecision = new VCEApiError(
      409,
      'review_not_pending',
      "Job job_a is approved and not waiting for a reviewer's decision."
    );
    dialog
      .mockResolvedValueOnce(answer(true, ''))
      .mockResolvedValueOnce(answer(false, null));
    const decided = await decideWithDialog(
      model,
      model.jobs[0],
      'approve',
      trans
    );
    expect(decided).toBeNull();
    expect(dialog).toHaveBeenCalledTimes(2);
    const body = dialog.mock.calls[1][0]!.body as ReasonBody;
    await act(async () => {
      Widget.attach(body, document.body);
      await flush();
    });
    expect(body.node.querySelector('[role="alert"]')!.textContent).toBe(
      "The decision was not taken: Job job_a is approved and not waiting for a reviewer's decision."
    );
    await act(async () => body.dispose());
    expect(api.decisions).toEqual([]);
  });

  it('an approval without a reason sends the default one', async () => {
    const { api, model } = await activeModel();
    dialog.mockResolvedValueOnce(answer(true, ''));
    const decided = await decideWithDialog(
      model,
      model.jobs[0],
      'approve',
      trans
    );
    expect(decided?.status).toBe('approved');
    expect(api.decisions[0].decision.reason).toContain('A reviewer checked');
    expect(dialog.mock.calls[0][0]!.buttons!.map(b => b.label)).toEqual([
      'Cancel',
      'Approve and release'
    ]);
  });
});

describe("a job's files in the queue", () => {
  const FINDING = {
    rule: 'extreme_values',
    severity: 'manual' as const,
    file: 'summary.csv',
    location: 'column 3 (max_views)',
    message: "summary.csv, column 3 (max_views): a single record's value."
  };

  function withFiles() {
    const api = new FakeReviewApi();
    api.queue = [makeReviewItem('job_a')];
    api.outputs.set('job_a', [
      makeReviewOutput('chart.svg', { bytes: 512 }),
      makeReviewOutput('logs/stdout.txt', { bytes: 14 }),
      makeReviewOutput('summary.csv', { bytes: 3 * 1024, findings: [FINDING] })
    ]);
    return api;
  }

  const rows = (section: ReviewSection) =>
    [...section.node.querySelectorAll('.jp-vce-ReviewFile')] as HTMLElement[];
  const openButton = (row: Element) =>
    row.querySelector('.jp-vce-ReviewFile-open') as HTMLButtonElement;

  it('lists each file with its size and the finding on it, and an Open button named for it', async () => {
    const { section } = await renderQueue(withFiles());
    const files = rows(section);
    expect(files.map(row => row.dataset.name)).toEqual([
      'chart.svg',
      'logs/stdout.txt',
      'summary.csv'
    ]);
    expect(files[0].textContent).toContain('512 B');
    expect(files[0].textContent).toContain('No finding on this file.');
    expect(files[2].textContent).toContain('3.0 KiB');
    const finding = files[2].querySelector('.jp-vce-ReviewFile-finding')!;
    expect(finding.getAttribute('data-rule')).toBe('extreme_values');
    expect(finding.textContent).toBe(FINDING.message);
    // A real <button> (Tab, Enter, Space) with a name that says which file of which job.
    expect(openButton(files[2]).tagName).toBe('BUTTON');
    expect(openButton(files[2]).getAttribute('aria-label')).toBe(
      'Open summary.csv of job job_a'
    );
  });

  it('Open saves the file through the server extension and shows it in the viewer for its type', async () => {
    const api = withFiles();
    const { section, openInLab } = await renderQueue(api);
    for (const [index, factory] of [
      [0, 'Image (Text)'],
      [1, 'Editor'],
      [2, 'CSVTable']
    ] as const) {
      await act(async () => {
        openButton(rows(section)[index]).click();
        await flush();
      });
      expect(openInLab).toHaveBeenLastCalledWith(
        `vce-review/job_a/${rows(section)[index].dataset.name}`,
        factory
      );
    }
    expect(api.saved.map(saved => saved.name)).toEqual([
      'chart.svg',
      'logs/stdout.txt',
      'summary.csv'
    ]);
    expect(section.node.querySelector('.jp-vce-ReviewFile-error')).toBeNull();
  });

  it('says beside the file why it could not be opened, and clears it on the next try', async () => {
    const api = withFiles();
    api.failSave = new VCEApiError(
      404,
      'not_found',
      'Job job_a is not waiting for a reviewer: the jobs in manual review are listed at GET /v2/vce/review/jobs/.'
    );
    const { section, openInLab } = await renderQueue(api);
    await act(async () => {
      openButton(rows(section)[2]).click();
      await flush();
    });
    const error = rows(section)[2].querySelector('[role="alert"]')!;
    expect(error.textContent).toBe(
      'summary.csv could not be opened: Job job_a is not waiting for a reviewer: the jobs in manual review are listed at GET /v2/vce/review/jobs/.'
    );
    expect(openButton(rows(section)[2]).getAttribute('aria-describedby')).toBe(
      error.id
    );
    expect(openInLab).not.toHaveBeenCalled();
    api.failSave = null;
    await act(async () => {
      openButton(rows(section)[2]).click();
      await flush();
    });
    expect(rows(section)[2].querySelector('[role="alert"]')).toBeNull();
    expect(openInLab).toHaveBeenCalledTimes(1);
  });

  it('says where a file was saved when the lab has no viewer for it', async () => {
    const api = withFiles();
    api.outputs.set('job_a', [makeReviewOutput('table.parquet')]);
    const { section, openInLab } = await renderQueue(api);
    await act(async () => {
      openButton(rows(section)[0]).click();
      await flush();
    });
    expect(openInLab).not.toHaveBeenCalled();
    expect(rows(section)[0].textContent).toContain(
      'Saved to vce-review/job_a/table.parquet, but JupyterLab has no viewer for application/octet-stream files'
    );
  });

  it('says when the viewer is missing from this lab', async () => {
    const { section } = await renderQueue(
      withFiles(),
      jest.fn((_path: string, _factory: string) => false)
    );
    await act(async () => {
      openButton(rows(section)[2]).click();
      await flush();
    });
    expect(rows(section)[2].textContent).toContain(
      'Saved to vce-review/job_a/summary.csv, but the "CSVTable" viewer is not available'
    );
  });

  it('says why the files could not be listed, with a way to list them again', async () => {
    const api = withFiles();
    api.failOutputs = new VCEApiError(
      503,
      'platform_unreachable',
      'The platform is not answering.'
    );
    const { section } = await renderQueue(api);
    const files = section.node.querySelector('.jp-vce-ReviewFiles')!;
    expect(files.querySelector('[role="alert"]')!.textContent).toContain(
      'The files could not be listed: The platform is not answering.'
    );
    api.failOutputs = null;
    await act(async () => {
      (files.querySelector('button') as HTMLButtonElement).click();
      await flush();
    });
    expect(rows(section)).toHaveLength(3);
  });
});
