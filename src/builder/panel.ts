import { CommandToolbarButton } from '@jupyterlab/apputils';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { Widget } from '@lumino/widgets';
import { LoadOnShow } from '../common/lazy';
import { queryIcon } from '../icons';

/**
 * The query builder's sidebar. Its React view (and the builder's model) is
 * loaded when the panel is first shown, so JupyterLab's start-up does not pay for it.
 */
export function createBuilderPanel(
  /** The builder's view, loaded when the panel is first shown. */
  loadView: () => Promise<Widget>,
  trans: TranslationBundle,
  translator: ITranslator,
  /** The command that opens the builder in the main area: a button in the panel's toolbar. */
  openInMainArea?: { commands: CommandRegistry; id: string }
): SidePanel {
  const sidePanel = new SidePanel({ translator });
  sidePanel.id = 'jp-vce-query-builder';
  sidePanel.title.icon = queryIcon;
  sidePanel.title.caption = trans.__('Query Builder');
  sidePanel.addClass('jp-vce-QueryBuilderPanel');
  const heading = document.createElement('h2');
  heading.className = 'jp-vce-PanelTitle';
  heading.textContent = trans.__('Query Builder');
  sidePanel.header.node.appendChild(heading);
  if (openInMainArea) {
    sidePanel.toolbar.addItem(
      'open-in-main-area',
      new CommandToolbarButton({
        commands: openInMainArea.commands,
        id: openInMainArea.id,
        label: ''
      })
    );
  }
  const section = new LoadOnShow({
    load: loadView,
    loadingText: trans.__('Loading the Query Builder…'),
    failedText: trans.__(
      'The Query Builder could not be loaded. Show the panel again to retry.'
    )
  });
  section.addClass('jp-vce-QB-host');
  section.title.label = trans.__('Test-stage query');
  sidePanel.addWidget(section);
  return sidePanel;
}
