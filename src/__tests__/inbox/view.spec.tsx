/**
 * The Inbox view: the list (subject, date, job), the selected mail rendered
 * as text (not escaped), its download link, and the expired link's offer to
 * download from the job instead.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import type { OutboxMail } from '../../api/types';
import { InboxModel } from '../../inbox/model';
import { InboxView } from '../../inbox/view';
import { flush } from '../helpers/jobs-fixtures';
import { makeMail } from '../helpers/inbox-fixtures';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');

const views: Widget[] = [];
afterEach(async () => {
  await act(async () => views.splice(0).forEach(view => view.dispose()));
});

async function render(messages: OutboxMail[]) {
  const model = new InboxModel({
    api: { outbox: async () => ({ transport: 'outbox', messages }) }
  });
  const actions = { openJob: jest.fn(), downloadFromJob: jest.fn() };
  const view = new InboxView(model, actions, trans);
  views.push(view);
  await act(async () => {
    Widget.attach(view, document.body);
    await model.refresh();
    await flush();
  });
  return { view, model, actions };
}

const REJECTED = makeMail({
  job_id: 'job_r',
  kind: 'rejected',
  subject: '[VCE] Results of job job_r (r.py) were not released',
  text: 'Why:\n  - t.csv, column 2: 1 count below 10 (row 2) (write them as "<10").',
  created_at: '2026-12-06T20:00:00.000Z',
  link: null
});

describe('the Inbox view', () => {
  it('lists each mail with its subject, date and job', async () => {
    const { view } = await render([REJECTED, makeMail()]);
    const items = [...view.node.querySelectorAll('.jp-vce-Inbox-item')];
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain(
      '[VCE] Results of job job_a (a.py) are approved'
    );
    expect(items[0].textContent).toContain('job_a');
    expect(items[0].querySelector('time')?.getAttribute('datetime')).toBe(
      '2026-12-06T21:15:01.000Z'
    );
    expect(items[0].getAttribute('aria-selected')).toBe('true');
  });

  it('shows the mail as text, "<10" as written, and its link downloads the zip', async () => {
    const { view } = await render([REJECTED, makeMail()]);
    const text = view.node.querySelector('.jp-vce-Mail-text')!;
    const link = text.querySelector('a')!;
    expect(link.getAttribute('href')).toMatch(/\/v2\/vce\/results\/\S+$/);
    expect(link.hasAttribute('download')).toBe(true);
    const button = view.node.querySelector<HTMLAnchorElement>(
      '.jp-vce-Mail-download'
    )!;
    expect(button.getAttribute('href')).toBe(link.getAttribute('href'));
    expect(view.node.querySelector('.jp-vce-Mail-link')?.textContent).toContain(
      'The link works until'
    );

    const rejected =
      view.node.querySelectorAll<HTMLElement>('.jp-vce-Inbox-item')[1];
    await act(async () => rejected.click());
    const body = view.node.querySelector('.jp-vce-Mail-text')!;
    expect(body.textContent).toContain('(write them as "<10")');
    expect(body.innerHTML).toContain('&lt;10'); // text, not markup
    expect(body.querySelector('a')).toBeNull();
    expect(view.node.querySelector('.jp-vce-Mail-link')).toBeNull();
  });

  it('says an expired link expired and offers the download from the job', async () => {
    const { view, actions } = await render([
      makeMail({
        link: { state: 'expired', expires_at: '2026-12-01T00:00:00Z' }
      })
    ]);
    const box = view.node.querySelector('.jp-vce-Mail-link')!;
    expect(box.getAttribute('data-state')).toBe('expired');
    expect(box.textContent).toContain("This mail's link expired at");
    expect(view.node.querySelector('.jp-vce-Mail-download')).toBeNull();
    expect(view.node.querySelector('.jp-vce-Mail-text a')).toBeNull();
    expect(
      view.node.querySelector('.jp-vce-Mail-deadLink')?.textContent
    ).toMatch(/\/v2\/vce\/results\//);
    const download = view.node.querySelector<HTMLButtonElement>(
      '.jp-vce-Mail-downloadFromJob'
    )!;
    expect(download.textContent).toBe('Download into workspace');
    await act(async () => download.click());
    expect(actions.downloadFromJob).toHaveBeenCalledWith('job_a');
  });

  it('says a link whose release is gone no longer works', async () => {
    const { view } = await render([
      makeMail({ link: { state: 'gone', expires_at: null } })
    ]);
    expect(view.node.querySelector('.jp-vce-Mail-link')?.textContent).toContain(
      'no longer holds the release'
    );
  });

  it("opens the mail's job", async () => {
    const { view, actions } = await render([makeMail()]);
    await act(async () =>
      view.node.querySelector<HTMLButtonElement>('.jp-vce-Mail-job')!.click()
    );
    expect(actions.openJob).toHaveBeenCalledWith('job_a');
  });

  it('says when there is no mail yet', async () => {
    const { view } = await render([]);
    expect(view.node.textContent).toContain('No mail yet');
  });
});
