/**
 * The shield sidebar's frame is on screen from the start (its icon in the
 * right sidebar); Submit and Jobs fill that same frame when it first shows
 * (the frame's title stays, the sections come after it).
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import { SHIELD_PANEL_ID } from '../../commands';
import { PlatformEventStream } from '../../events/stream';
import { JobActions } from '../../jobs/actions';
import { JobsModel } from '../../jobs/model';
import { createShieldPanel } from '../../jobs/panel';
import { createShieldShell } from '../../jobs/shell';
import { PanelState } from '../../jobs/state';
import { FakeJobsApi } from '../helpers/jobs-fixtures';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');

it('the sections fill the frame shown at start', async () => {
  const frame = createShieldShell(trans, nullTranslator);
  expect(frame.id).toBe(SHIELD_PANEL_ID);
  expect(frame.title.icon).toBeTruthy();
  expect(frame.title.caption).toBe('Data Clean Room');
  await act(async () => Widget.attach(frame, document.body));
  expect(frame.node.querySelector('.jp-vce-PanelTitle')!.textContent).toBe(
    'Data Clean Room'
  );
  expect(frame.node.querySelector('.jp-vce-SubmitSection')).toBeNull();

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
  const events = new PlatformEventStream({
    open: () => new Promise<Response>(() => undefined)
  });
  const shield = await act(async () =>
    createShieldPanel({
      actions,
      review: new Widget(),
      events,
      trans,
      translator: nullTranslator,
      signIn: jest.fn(),
      panel: frame,
      dropTarget: false
    })
  );
  expect(shield.panel).toBe(frame);
  // One title, then Submit in the header; Jobs as the section.
  expect(frame.node.querySelectorAll('.jp-vce-PanelTitle')).toHaveLength(1);
  const header = frame.node.querySelector('.jp-SidePanel-header')!;
  expect(
    [...header.children].map(child =>
      child.classList.contains('jp-vce-SubmitSection')
    )
  ).toEqual([false, true]);
  expect(
    [...frame.node.querySelectorAll('.jp-AccordionPanel-title')].map(
      title => title.textContent
    )
  ).toEqual(['Jobs']);

  await act(async () => {
    frame.dispose();
    events.dispose();
  });
});
