import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import type { StreamState } from '../../events/stream';
import { JobActions } from '../../jobs/actions';
import { droppedPath } from '../../jobs/drop';
import {
  groupFindings,
  readableSubmission,
  ruleTitle,
  runtimeSeconds
} from '../../jobs/format';
import { JobsModel } from '../../jobs/model';
import { PanelState } from '../../jobs/state';
import type { Job } from '../../api/types';
import { jobsWidget, submitWidget } from '../../jobs/views';
import { submittedAt } from '../../jobs/views/list-item';
import { FakeJobsApi, flush, makeJob } from '../helpers/jobs-fixtures';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');

const REJECTED: Job = makeJob('job_leak', {
  status: 'rejected',
  entry: 'leak.py',
  minute: 5,
  finished_at: new Date(Date.UTC(2026, 10, 25, 9, 6)).toISOString(),
  runtime_seconds: 3.2,
  records_read: 2000,
  verdict: {
    decision: 'rejected',
    decided_by: 'automatic',
    reviewer_reason: null,
    reviewed_at: new Date(Date.UTC(2026, 10, 25, 9, 6)).toISOString(),
    findings: [
      {
        rule: 'identifier_column',
        severity: 'fail',
        file: 'videos.csv',
        location: 'column id',
        message:
          'videos.csv has a column "id" that identifies single records. Aggregate over it instead.'
      },
      {
        rule: 'figure_check',
        severity: 'manual',
        file: 'chart.png',
        location: null,
        message: 'A person checks figures.'
      }
    ]
  }
});

async function render(
  jobs: Job[],
  options: {
    signedIn?: boolean;
    failList?: Error;
    stream?: StreamState;
    openMail?: (jobId: string) => void;
  } = {}
) {
  const api = new FakeJobsApi();
  api.jobs = jobs;
  api.failList = options.failList ?? null;
  const model = new JobsModel({ api, detailDelayMs: 0 });
  const state = new PanelState();
  const actions = new JobActions({
    api,
    model,
    state,
    trans,
    contents: { get: jest.fn() },
    email: () => 'pi@example.org',
    openMail: options.openMail
  });
  const signIn = jest.fn();
  const streamChanged = new Signal<unknown, StreamState>({});
  const context = {
    actions,
    trans,
    signIn,
    streamState: () => options.stream ?? 'open'
  };
  const submit = submitWidget(context);
  const list = jobsWidget(context, streamChanged);
  await act(async () => {
    Widget.attach(submit, document.body);
    Widget.attach(list, document.body);
  });
  await act(async () => {
    model.setSignedIn(options.signedIn ?? true);
    await flush();
  });
  const cleanup = () => {
    submit.dispose();
    list.dispose();
  };
  cleanups.push(cleanup);
  return { api, model, state, actions, signIn, submit, list };
}

const cleanups: Array<() => void> = [];
afterEach(async () => {
  await act(async () => cleanups.splice(0).forEach(cleanup => cleanup()));
});

describe('the Data Clean Room panel', () => {
  it('signed out: says to sign in, with a button that does', async () => {
    const { list, submit, signIn } = await render([], { signedIn: false });
    expect(list.node.textContent).toContain('Not signed in');
    expect(submit.node.textContent).toContain(
      'Sign in to the Virtual Compute Environment to submit scripts'
    );
    expect(
      (submit.node.querySelector('.jp-vce-SubmitButton') as HTMLButtonElement)
        .disabled
    ).toBe(true);
    await act(async () =>
      (
        list.node.querySelector('.jp-vce-Empty button') as HTMLButtonElement
      ).click()
    );
    expect(signIn).toHaveBeenCalled();
  });

  it('loading, then empty: says what to do', async () => {
    const { list, model, api } = await render([], { signedIn: false });
    let answer!: (page: {
      jobs: Job[];
      cursor: null;
      has_more: boolean;
    }) => void;
    api.list.mockImplementationOnce(
      () => new Promise(resolve => (answer = resolve))
    );
    await act(async () => {
      model.setSignedIn(true);
    });
    expect(list.node.querySelector('[role="status"]')?.textContent).toContain(
      'Loading your jobs'
    );
    await act(async () => {
      answer({ jobs: [], cursor: null, has_more: false });
      await flush();
    });
    expect(list.node.textContent).toContain(
      'No jobs yet. Submit a script above'
    );
  });

  it('error: the reason and a retry', async () => {
    const { list, api } = await render([], {
      failList: Object.assign(
        new Error('The platform at http://x is not answering.'),
        { status: 503 }
      )
    });
    expect(list.node.querySelector('[role="alert"]')?.textContent).toContain(
      'not answering'
    );
    api.failList = null;
    api.jobs = [makeJob('job_1')];
    await act(async () => {
      (
        list.node.querySelector('.jp-vce-Empty button') as HTMLButtonElement
      ).click();
      await flush();
    });
    expect(list.node.querySelectorAll('.jp-vce-JobItem')).toHaveLength(1);
  });

  it('lists jobs newest first with badges, labels and exact times on hover', async () => {
    const { list } = await render(
      [
        makeJob('job_a', { minute: 1, status: 'approved' }),
        makeJob('job_b', { minute: 2, status: 'running' })
      ],
      { stream: 'waiting' }
    );
    const items = [...list.node.querySelectorAll('.jp-vce-JobItem')];
    expect(items.map(item => item.getAttribute('data-job-id'))).toEqual([
      'job_b',
      'job_a'
    ]);
    expect(items[0].querySelector('.jp-vce-Badge')?.textContent).toBe(
      'Running'
    );
    expect(
      items[1].querySelector('.jp-vce-Badge')?.getAttribute('data-tone')
    ).toBe('success');
    expect(
      items[0].querySelector('button')?.getAttribute('aria-label')
    ).toMatch(/^analysis\.py, Running, submitted /);
    expect(items[0].querySelector('time')?.getAttribute('title')).toContain(
      '2026-11-25T09:02:00.000Z'
    );
    expect(list.node.querySelector('.jp-vce-Live')?.textContent).toBe(
      'Reconnecting…'
    );
  });

  it('tells two runs of one script apart: submitted time, short id, the full name on hover', async () => {
    const entry = 'analyses/videos_by_region_and_length.py';
    const first = makeJob('job_20261125090100a1b2c3d4e5', {
      minute: 1,
      entry,
      status: 'approved'
    });
    const second = makeJob('job_20261125091700f6e5d4c3b2', {
      minute: 17,
      entry,
      stage: 'test',
      status: 'rejected'
    });
    const { list } = await render([first, second]);
    const items = [...list.node.querySelectorAll('.jp-vce-JobItem')];
    const meta = (item: Element) =>
      [
        item.querySelector('.jp-vce-JobItem-time')?.textContent,
        item.querySelector('.jp-vce-JobItem-id')?.textContent
      ].join(' ');
    expect(items.map(meta)).toEqual([
      `${submittedAt(second.created_at, Date.now())} d4c3b2`,
      `${submittedAt(first.created_at, Date.now())} c3d4e5`
    ]);
    expect(meta(items[0])).not.toBe(meta(items[1]));
    // The name is cut in a narrow panel: the whole of it, and what the run was, on hover.
    const tooltip = items[0].querySelector('button')!.getAttribute('title')!;
    expect(tooltip.split('\n')).toEqual([
      entry,
      'Test run (on the sample; nothing is released)',
      'Status: Rejected',
      `Submitted: ${new Date(second.created_at).toLocaleString()} (${second.created_at})`,
      'Id: job_20261125091700f6e5d4c3b2'
    ]);
    // The whole name shows, wrapped between its words rather than cut.
    const file = items[0].querySelector('.jp-vce-JobItem-file')!;
    expect(file.textContent).toBe('videos_by_region_and_length.py');
    expect(file.querySelectorAll('wbr')).toHaveLength(5);
    // The test run's tag is on the second line: it no longer cuts the name.
    expect(
      items[0].querySelector('.jp-vce-JobItem-meta .jp-vce-Tag')?.textContent
    ).toBe('Test run');
    expect(
      items[0].querySelector('.jp-vce-JobItem-main .jp-vce-Tag')
    ).toBeNull();
  });

  it('filters by status and pages', async () => {
    const jobs = Array.from({ length: 25 }, (_, index) =>
      makeJob(`job_${String(index).padStart(2, '0')}`, {
        minute: index,
        status: index % 2 ? 'approved' : 'rejected'
      })
    );
    const { list, model } = await render(jobs);
    expect(list.node.querySelectorAll('.jp-vce-JobItem')).toHaveLength(20);
    await act(async () => {
      (list.node.querySelector('.jp-vce-More') as HTMLButtonElement).click();
      await flush();
    });
    expect(list.node.querySelectorAll('.jp-vce-JobItem')).toHaveLength(25);
    const select = list.node.querySelector('select') as HTMLSelectElement;
    await act(async () => {
      select.value = 'approved';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await flush();
    });
    expect(model.filter).toEqual(['approved']);
    expect(
      list.node.querySelectorAll('.jp-vce-JobItem[data-status="rejected"]')
    ).toHaveLength(0);
    expect(list.node.querySelectorAll('.jp-vce-JobItem')).toHaveLength(12);
  });

  it('a rejected job: each finding in plain words, with where it was found', async () => {
    const { list, actions } = await render([REJECTED]);
    await act(async () => {
      await actions.open('job_leak');
    });
    const verdict = list.node.querySelector('.jp-vce-Verdict')!;
    expect(verdict.getAttribute('data-decision')).toBe('rejected');
    expect(verdict.textContent).toContain(
      'Rejected: the review found 1 problem.'
    );
    const findings = [...verdict.querySelectorAll('.jp-vce-Finding')];
    expect(
      findings.map(finding => finding.getAttribute('data-severity'))
    ).toEqual(['fail', 'manual']);
    expect(findings[0].textContent).toContain('A column of identifiers');
    expect(findings[0].closest('.jp-vce-FindingGroup')?.textContent).toContain(
      'Where: videos.csv, column id'
    );
    expect(findings[0].textContent).toContain('Aggregate over it instead.');
    expect(findings[1].textContent).toContain('Figure check');
    expect(list.node.querySelector('.jp-vce-SaveResults')).toBeNull();
    expect(list.node.querySelector('.jp-vce-Resubmit')).not.toBeNull();
    expect(list.node.querySelector('.jp-vce-Cancel')).toBeNull();
    expect(list.node.textContent).toContain('3.2 s');
  });

  it('an approved job offers both downloads; a running one offers cancel', async () => {
    const approved = makeJob('job_ok', {
      status: 'approved',
      result_available: true
    });
    const running = makeJob('job_run', { status: 'running', minute: 3 });
    const { list, actions } = await render([approved, running]);
    await act(async () => actions.open('job_ok'));
    expect(list.node.querySelector('.jp-vce-SaveResults')?.textContent).toBe(
      'Download into workspace'
    );
    expect(list.node.querySelector('.jp-vce-DownloadResults')).not.toBeNull();
    expect(list.node.querySelector('.jp-vce-Verify')).not.toBeNull();
    await act(async () => actions.open('job_run'));
    expect(list.node.querySelector('.jp-vce-Cancel')).not.toBeNull();
    expect(list.node.querySelector('.jp-vce-SaveResults')).toBeNull();
    expect(list.node.querySelector('.jp-vce-Attestation')).toBeNull();
  });

  it('an approved job says where the download link was mailed', async () => {
    const approved = makeJob('job_ok', {
      status: 'approved',
      result_available: true
    });
    const { list, actions, api } = await render([approved]);
    api.outbox.mockResolvedValueOnce({
      transport: 'outbox',
      messages: [
        {
          job_id: 'job_ok',
          kind: 'approved',
          to: 'pi@example.org',
          subject: 's',
          text: 't',
          created_at: approved.updated_at,
          sent_at: approved.updated_at,
          transport: 'outbox',
          file: 'outbox/job_ok.eml'
        }
      ]
    } as never);
    await act(async () => {
      await actions.open('job_ok');
      await flush();
    });
    expect(list.node.querySelector('.jp-vce-Mail')?.textContent).toContain(
      'The download link was mailed to pi@example.org'
    );
  });

  it("offers to open the job's mail in the Inbox, not the outbox file's name", async () => {
    const approved = makeJob('job_ok', {
      status: 'approved',
      result_available: true
    });
    const openMail = jest.fn();
    const { list, actions, api } = await render([approved], { openMail });
    api.outbox.mockResolvedValueOnce({
      transport: 'outbox',
      messages: [
        {
          job_id: 'job_ok',
          kind: 'approved',
          to: 'pi@example.org',
          subject: 's',
          text: 't',
          created_at: approved.updated_at,
          sent_at: approved.updated_at,
          transport: 'outbox',
          file: 'job_ok-approved.eml',
          link: { state: 'active', expires_at: approved.updated_at }
        }
      ]
    } as never);
    await act(async () => {
      await actions.open('job_ok');
      await flush();
    });
    const mail = list.node.querySelector('.jp-vce-Mail')!;
    expect(mail.textContent).not.toContain('local outbox');
    expect(mail.textContent).not.toContain('.eml');
    const open = mail.querySelector<HTMLButtonElement>('.jp-vce-OpenMail')!;
    expect(open.textContent).toBe('Open mail');
    await act(async () => open.click());
    expect(openMail).toHaveBeenCalledWith('job_ok');
  });

  it('a failed job says where the script broke', async () => {
    const failed = makeJob('job_f', {
      status: 'failed',
      failure: { type: 'KeyError', line: 12, file: 'analysis.py' }
    });
    const { list, actions } = await render([failed]);
    await act(async () => actions.open('job_f'));
    expect(list.node.querySelector('.jp-vce-Detail-reason')?.textContent).toBe(
      'The script raised KeyError in analysis.py, line 12.'
    );
  });

  it('an open job after sign-out says to sign in, not that it is loading', async () => {
    const { list, model, actions, signIn } = await render([
      makeJob('job_a', { minute: 1 })
    ]);
    await act(async () => {
      (
        list.node.querySelector(
          '[data-job-id="job_a"] button'
        ) as HTMLButtonElement
      ).click();
      await flush();
    });
    await act(async () => {
      model.setSignedIn(false);
      await flush();
    });
    expect(actions.state.selected).toBe('job_a');
    expect(list.node.textContent).toContain(
      'Not signed in: job job_a shows here again once you sign in.'
    );
    expect(list.node.textContent).not.toContain('Loading job');
    await act(async () =>
      (
        list.node.querySelector('.jp-vce-Empty button') as HTMLButtonElement
      ).click()
    );
    expect(signIn).toHaveBeenCalled();
  });

  it('Escape leaves the detail and the focus returns to the job in the list', async () => {
    const { list, actions } = await render([
      makeJob('job_a', { minute: 1 }),
      makeJob('job_b', { minute: 2 })
    ]);
    await act(async () => {
      (
        list.node.querySelector(
          '[data-job-id="job_a"] button'
        ) as HTMLButtonElement
      ).click();
      await flush();
    });
    expect(actions.state.selected).toBe('job_a');
    expect(document.activeElement?.classList.contains('jp-vce-Back')).toBe(
      true
    );
    await act(async () => {
      document.activeElement!.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
      );
    });
    expect(actions.state.selected).toBeNull();
    expect(
      document.activeElement
        ?.closest('[data-job-id]')
        ?.getAttribute('data-job-id')
    ).toBe('job_a');
  });

  it('the banner is announced and can be dismissed', async () => {
    const { submit, state } = await render([]);
    await act(async () => {
      state.banner = { kind: 'error', text: '"notes.txt" is not a script' };
    });
    expect(submit.node.querySelector('[role="alert"]')?.textContent).toContain(
      'is not a script'
    );
    await act(async () =>
      (
        submit.node.querySelector(
          '[aria-label="Dismiss message"]'
        ) as HTMLButtonElement
      ).click()
    );
    expect(submit.node.querySelector('[role="alert"]')).toBeNull();
  });

  it('the submit section shows the active script and the busy state', async () => {
    const { submit, state } = await render([]);
    await act(async () => {
      state.currentPath = 'study/analysis.py';
    });
    expect(submit.node.querySelector('.jp-vce-Submit-path')?.textContent).toBe(
      'analysis.py'
    );
    expect(
      (submit.node.querySelector('.jp-vce-SubmitButton') as HTMLButtonElement)
        .disabled
    ).toBe(false);
    await act(async () => {
      state.busy = 'Submitting analysis.py…';
    });
    expect(submit.node.querySelector('.jp-vce-Busy')?.textContent).toContain(
      'Submitting analysis.py'
    );
    expect(
      (submit.node.querySelector('.jp-vce-SubmitButton') as HTMLButtonElement)
        .disabled
    ).toBe(true);
    await act(async () => {
      state.busy = null;
      state.currentPath = 'data.csv';
    });
    expect(
      (submit.node.querySelector('.jp-vce-SubmitButton') as HTMLButtonElement)
        .disabled
    ).toBe(true);
  });

  it('the submit section says where a job reads its data and where its results go', async () => {
    const { submit } = await render([]);
    const how = submit.node.querySelector('details.jp-vce-HowItRuns');
    expect(how?.querySelector('summary')?.textContent).toBe('How a job runs');
    expect(how?.textContent).toContain('client.query_all(…)');
    expect(how?.textContent).toContain(
      'page by page (up to 100,000 a page with page_size);'
    );
    expect(how?.textContent).toContain('client.query(…) reads one page.');
    expect(how?.textContent).toContain(
      'What it writes to output/ and what it prints are its results.'
    );
  });
});

describe('helpers', () => {
  it("counts a running job's runtime up from its start; a stopped job keeps the platform's figure", () => {
    const start = Date.UTC(2026, 10, 25, 9, 0);
    const startedAt = new Date(start).toISOString();
    expect(
      runtimeSeconds(
        { status: 'running', started_at: startedAt, runtime_seconds: 0.2 },
        start + 17_000
      )
    ).toBe(17);
    expect(
      runtimeSeconds(
        { status: 'cancelled', started_at: startedAt, runtime_seconds: 16.8 },
        start + 60_000
      )
    ).toBe(16.8);
    expect(
      runtimeSeconds(
        { status: 'queued', started_at: null, runtime_seconds: null },
        start
      )
    ).toBeNull();
    expect(
      runtimeSeconds(
        { status: 'running', started_at: startedAt, runtime_seconds: null },
        start - 5_000
      )
    ).toBe(0);
  });

  it('groups findings by place, in the order found, so one column breaking three rules is fixed once', () => {
    const finding = (rule: string, file: string, location: string | null) => ({
      rule,
      severity: 'fail' as const,
      file,
      location,
      message: rule
    });
    const groups = groupFindings(
      [
        finding('identifier_column', 'rows.csv', 'column 1 (id)'),
        finding('identifier_column', 'rows.csv', 'column 2 (username)'),
        finding('identifiers_in_output', 'rows.csv', 'column 1 (id)'),
        finding('row_level_data', 'rows.csv', null),
        finding('identifiers_in_output', 'rows.csv', 'column 2 (username)')
      ],
      trans
    );
    expect(
      groups.map(group => [
        group.place,
        group.findings.map(f => f.finding.rule)
      ])
    ).toEqual([
      [
        'rows.csv, column 1 (id)',
        ['identifier_column', 'identifiers_in_output']
      ],
      [
        'rows.csv, column 2 (username)',
        ['identifier_column', 'identifiers_in_output']
      ],
      ['rows.csv', ['row_level_data']]
    ]);
  });

  it('puts findings about a column and its cells under that column, with the cells as detail', () => {
    const cells = {
      rule: 'identifier_value',
      severity: 'fail' as const,
      file: 'rows.csv',
      location: 'column 1 (id), rows 1, 2, 3 and 99,997 more',
      column: 'column 1 (id)',
      message: 'ids of the data set'
    };
    const groups = groupFindings(
      [
        { ...cells, rule: 'identifier_column', location: 'column 1 (id)' },
        cells
      ],
      trans
    );
    expect(groups).toHaveLength(1);
    expect(groups[0].place).toBe('rows.csv, column 1 (id)');
    expect(groups[0].findings.map(f => f.detail)).toEqual([
      null,
      'column 1 (id), rows 1, 2, 3 and 99,997 more'
    ]);
    // Without a column from the platform, the location is the place.
    expect(groupFindings([{ ...cells, column: null }], trans)[0].place).toBe(
      'rows.csv, column 1 (id), rows 1, 2, 3 and 99,997 more'
    );
  });

  it('names known rules and spells out unknown ones', () => {
    expect(ruleTitle('small_count', trans)).toBe('A count below the threshold');
    expect(ruleTitle('brand_new_rule', trans)).toBe('Brand new rule');
  });

  it('shows a submitted notebook cell by cell, other files as they are', () => {
    const notebook = JSON.stringify({
      cells: [
        { cell_type: 'markdown', source: ['# Title'] },
        { cell_type: 'code', source: 'print(1)' }
      ]
    });
    expect(readableSubmission('study.ipynb', notebook)).toBe(
      '# ── cell 1 (markdown) ──\n# Title\n\n# ── cell 2 (code) ──\nprint(1)'
    );
    expect(readableSubmission('a.py', 'print(1)')).toBe('print(1)');
    expect(readableSubmission('broken.ipynb', '{')).toBe('{');
  });

  it('reads a dropped path', () => {
    const data = {
      getData: (type: string) =>
        type === 'text/plain' ? '/study/analysis.py' : ''
    } as unknown as DataTransfer;
    expect(droppedPath(data)).toBe('study/analysis.py');
    const url = {
      getData: () => 'https://example.org/x.py'
    } as unknown as DataTransfer;
    expect(droppedPath(url)).toBeNull();
  });
});
