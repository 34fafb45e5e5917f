import { CommandToolbarButton } from '@jupyterlab/apputils';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { queryIcon } from '../icons';
import { LazySection } from './lazy-section';
import type { QueryBuilderModel } from './model';
import type { IBuilderActions } from './actions';
import type { QueryBuilderView } from './QueryBuilderView';

export interface IBuilderPanel {
  panel: SidePanel;
  /** The builder's view, once the panel was first shown. */
  view(): QueryBuilderView | null;
}

/**
 * The query builder's sidebar. Its React view is loaded when the panel is
 * first shown, so JupyterLab's start-up does not pay for it.
 */
export function createBuilderPanel(
  model: QueryBuilderModel,
  actions: IBuilderActions,
  trans: TranslationBundle,
  translator: ITranslator,
  /** The command that opens the builder in the main area: a button in the panel's toolbar. */
  openInMainArea?: { commands: CommandRegistry; id: string }
): IBuilderPanel {
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
  let view: QueryBuilderView | null = null;
  const section = new LazySection(async () => {
    const module = await import('./QueryBuilderView');
    view = new module.QueryBuilderView(model, actions);
    return view;
  });
  section.title.label = trans.__('Test-stage query');
  sidePanel.addWidget(section);
  return { panel: sidePanel, view: () => view };
}
