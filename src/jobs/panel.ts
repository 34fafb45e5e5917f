import { PathExt } from '@jupyterlab/coreutils';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import type { PlatformEventStream } from '../events/stream';
import { shieldIcon } from '../icons';
import type { JobActions } from './actions';
import { installDropTarget } from './drop';
import { isScriptPath } from './submission';
import { jobsWidget, submitWidget } from './views';

export const SHIELD_PANEL_ID = 'jp-vce-shield-panel';

export interface IShieldPanelOptions {
  actions: JobActions;
  events: PlatformEventStream;
  trans: TranslationBundle;
  translator: ITranslator;
  signIn: () => void;
}

/**
 * The shield sidebar: a title, submitting at the top (its natural height),
 * the jobs below; a script dropped on it is submitted.
 */
export function createShieldPanel(options: IShieldPanelOptions): SidePanel {
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
  panel.header.addWidget(submitWidget(context));
  panel.addWidget(jobsWidget(context, events.stateChanged));
  installDropTarget(panel.node, path => {
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
  return panel;
}
