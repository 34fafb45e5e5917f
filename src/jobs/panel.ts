import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { SHIELD_PANEL_ID } from '../commands';
import type { IPlatformEvents } from '../events/shared';
import { shieldIcon } from '../icons';
import type { JobActions } from './actions';
import { installDropTarget } from './drop';
import { isScriptPath } from './submission';
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
}

/** The shield sidebar and the switch between a researcher's sections and a reviewer's. */
export interface IShieldPanel {
  panel: SidePanel;
  /** A reviewer sees the manual-review queue only: no Submit, no jobs of their own. */
  showReviewer(reviewer: boolean): void;
}

/**
 * The shield sidebar: a title, submitting at the top (its natural height),
 * the jobs below; a script dropped on it is submitted. For a reviewer
 * client, the manual-review queue instead.
 */
export function createShieldPanel(options: IShieldPanelOptions): IShieldPanel {
  const { actions, events, trans } = options;
  const panel = new SidePanel({ translator: options.translator });
  panel.id = SHIELD_PANEL_ID;
  panel.title.icon = shieldIcon;
  panel.title.caption = trans.__('Data Clean Room');
  panel.addClass('jp-vce-ShieldPanel');
  panel.node.setAttribute('role', 'region');
  panel.node.setAttribute('aria-label', trans.__('Data Clean Room'));
  const heading = new Widget({ node: document.createElement('h2') });
  heading.addClass('jp-vce-PanelTitle');
  heading.node.textContent = trans.__('Data Clean Room');
  panel.header.addWidget(heading);
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
  let reviewer = false;
  installDropTarget(panel.node, path => {
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
  });
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
  return { panel, showReviewer };
}
