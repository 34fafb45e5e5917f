/**
 * The shield sidebar's frame: its icon, caption and title, on screen from the
 * start. Its sections (Submit and Jobs, or a reviewer's queue) load the first
 * time it shows (`plugins/jobs.ts`, `jobs/session.ts`).
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { SHIELD_PANEL_ID } from '../commands';
import { shieldIcon } from '../icons';

/** The empty shield sidebar with its title. */
export function createShieldShell(
  trans: TranslationBundle,
  translator: ITranslator
): SidePanel {
  const panel = new SidePanel({ translator });
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
  return panel;
}
