/**
 * The shield panel for a reviewer: the manual-review queue takes the place of
 * Submit and Jobs (sections of a SidePanel are accordion items, so they are
 * taken out and put back, not hidden), and back for a researcher.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import { PlatformEventStream } from '../../events/stream';
import { JobActions } from '../../jobs/actions';
import { JobsModel } from '../../jobs/model';
import { createShieldPanel } from '../../jobs/panel';
import { PanelState } from '../../jobs/state';
import { ReviewModel } from '../../review/model';
import { ReviewSection } from '../../review/panel';
import { FakeJobsApi } from '../helpers/jobs-fixtures';
import { FakeReviewApi } from '../helpers/review-fixtures';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');

it('a reviewer sees the review queue instead of Submit and Jobs, and back', async () => {
  const api = new FakeJobsApi();
  const model = new JobsModel({ api, detailDelayMs: 0 });
  const actions = new JobActions({
    api,
    model,
    state: new PanelState(),
    trans,
    contents: { get: jest.fn() },
    email: () => null
  });
  const review = new ReviewSection(
    new ReviewModel({ api: new FakeReviewApi(), refreshIntervalMs: 0 }),
    trans,
    jest.fn(() => true)
  );
  const events = new PlatformEventStream({
    open: () => new Promise<Response>(() => undefined)
  });
  const shield = createShieldPanel({
    actions,
    review,
    events,
    trans,
    translator: nullTranslator,
    signIn: jest.fn()
  });
  await act(async () => Widget.attach(shield.panel, document.body));
  const titles = () =>
    [...shield.panel.node.querySelectorAll('.jp-AccordionPanel-title')].map(
      title => title.textContent
    );
  const submit = shield.panel.node.querySelector('.jp-vce-SubmitSection')!;
  expect(titles()).toEqual(['Jobs']);
  expect(submit.classList.contains('lm-mod-hidden')).toBe(false);

  await act(async () => shield.showReviewer(true));
  expect(titles()).toEqual(['Manual review']);
  expect(submit.classList.contains('lm-mod-hidden')).toBe(true);
  expect(review.isAttached).toBe(true);

  await act(async () => shield.showReviewer(false));
  expect(titles()).toEqual(['Jobs']);
  expect(submit.classList.contains('lm-mod-hidden')).toBe(false);
  expect(review.isAttached).toBe(false);

  await act(async () => {
    shield.panel.dispose();
    review.dispose();
    events.dispose();
  });
});
