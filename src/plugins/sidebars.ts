import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import { queryIcon } from '../icons';
import { placeholderWidget } from '../sidebar/Placeholder';
import { CommandIDs, PALETTE_CATEGORY, TRANSLATION_DOMAIN } from '../tokens';

/**
 * The query builder (left). A placeholder in this release: it marks the
 * place where SDK queries will be built and inserted as cells.
 */
export const queryBuilderPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-vce:query-builder',
  description: 'The query builder sidebar (left).',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const panel = new SidePanel({ translator: translator ?? nullTranslator });
    panel.id = 'jp-vce-query-builder';
    panel.title.icon = queryIcon;
    panel.title.caption = trans.__('Query Builder');
    panel.addClass('jp-vce-QueryBuilderPanel');
    const heading = document.createElement('h2');
    heading.className = 'jp-vce-PanelTitle';
    heading.textContent = trans.__('Query Builder');
    panel.header.node.appendChild(heading);
    panel.addWidget(
      placeholderWidget({
        heading: trans.__('Build a test-stage query'),
        explanation: trans.__(
          'This panel will build a query (category, condition groups, fields, limit) and insert it as an SDK cell.'
        ),
        meanwhile: trans.__(
          'Not available yet in this version. Meanwhile, write the query in a notebook: from pyrqs import rqs; rqs.RQSClient().query(category=…, condition_groups=…, fields=…, limit=…).'
        )
      })
    );
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);

    app.commands.addCommand(CommandIDs.openQueryBuilder, {
      label: trans.__('Open Query Builder'),
      icon: queryIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({
      command: CommandIDs.openQueryBuilder,
      category: PALETTE_CATEGORY
    });
  }
};
