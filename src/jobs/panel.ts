import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import type { SidePanel } from '@jupyterlab/ui-components';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { SHIELD_PANEL_ID } from '../commands';
import type { IPlatformEvents } from '../events/shared';
import type { JobActions } from './actions';
import { installDropTarget } from './drop';
import { isScriptPath } from './script-path';
import { createShieldShell } from './shell';
import { jobsWidget, submitWidget } from './views';

export { SHIELD_PANEL_ID };

export interface IShieldPanelOptions {
  actions: JobActions;
  /** The reviewer's section (the manual-review queue), hidden until `showReviewer(true)`. */
  review: Widget;
  events: IPlatformEvents;
  trans: TranslationBundle;
  translator: ITranslator;
  signIn: () => void;
  /** The frame to fill (`createShieldShell`, on screen from the start); a new one when not given. */
  panel?: SidePanel;
  /** Whether to take files dropped on the panel (false when the frame's owner already does). */
  dropTarget?: boolean;
}

/** The shield sidebar and the switch between a researcher's sections and a reviewer's. */
export interface IShieldPanel {
  panel: SidePanel;
  /** A reviewer sees the manual-review queue only: no Submit, no jobs of their own. */
  showReviewer(reviewer: boolean): void;
  /** A file dropped on the panel: submitted (a script), or why not. */
  drop(path: string): void;
}

/**
 * The shield sidebar: a title, submitting at the top (its natural height),
 * the jobs below; a script dropped on it is submitted. For a reviewer
 * client, the manual-review queue instead.
 */
export function createShieldPanel(options: IShieldPanelOptions): IShieldPanel {
  const { actions, events, trans } = options;
  const panel = options.panel ?? createShieldShell(trans, options.translator);
  const context = {
    actions,
    trans,
    signIn: options.signIn,
    streamState: () => events.state
  };
  // Submitting takes a few lines at the top (its natural height); the jobs get the rest.
  const submit = submitWidget(context);
  const jobs = jobsWidget(context, events.stateChanged);
  panel.header.addWidget(submit);
  panel.addWidget(jobs);
  fitContentToPanel(panel);
  let reviewer = false;
  const onDrop = (path: string) => {
    if (reviewer) {
      Notification.warning(
        trans.__(
          'This is a reviewer client: it decides jobs in manual review and submits none (the platform takes jobs from researchers only).'
        ),
        { autoClose: 6000 }
      );
      return;
    }
    if (isScriptPath(path)) {
      void actions.submit(path);
    } else {
      actions.state.banner = {
        kind: 'error',
        text: trans.__(
          '"%1" is not a script: drop a .py or .ipynb file.',
          PathExt.basename(path)
        )
      };
    }
  };
  if (options.dropTarget !== false) {
    installDropTarget(panel.node, onDrop);
  }
  // Sections of a SidePanel are accordion items (a hidden one reads as collapsed):
  // a role's sections are taken out of it and put back instead.
  const showReviewer = (value: boolean) => {
    if (value === reviewer) {
      return;
    }
    reviewer = value;
    submit.setHidden(value);
    if (value) {
      jobs.parent = null;
      panel.addWidget(options.review);
    } else {
      options.review.parent = null;
      panel.insertWidget(0, jobs);
    }
  };
  return { panel, showReviewer, drop: onDrop };
}

/**
 * The sections (an accordion: a split layout) size themselves from their
 * node's height on a resize message only, and the side panel's own layout is
 * CSS, which sends none: a header that grows (Submit added after the first
 * layout, *How a job runs* opened) would leave the Jobs section at its old
 * height, past the panel's bottom. Resize the sections now and whenever their
 * box changes.
 */
export function fitContentToPanel(panel: SidePanel): void {
  const content = panel.content;
  const resize = () => {
    if (!content.isDisposed && content.isAttached) {
      MessageLoop.sendMessage(content, Widget.ResizeMessage.UnknownSize);
    }
  };
  resize();
  if (typeof ResizeObserver === 'undefined') {
    return;
  }
  const observer = new ResizeObserver(() => resize());
  observer.observe(content.node);
  content.disposed.connect(() => observer.disconnect());
}
