import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { VCEStatusItem } from '../status/StatusItem';
import { CommandIDs } from '../commands';
import { IVCEConnection, TRANSLATION_DOMAIN } from '../tokens';

/** The status bar item: connection state and records used today. */
export const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-vce:status-bar',
  description:
    'Shows the VCE connection and the records used today of the daily quota.',
  autoStart: true,
  requires: [IVCEConnection, IStatusBar],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    connection: IVCEConnection,
    statusBar: IStatusBar,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const item = new VCEStatusItem(
      connection.status,
      () => void app.commands.execute(CommandIDs.showConnection),
      trans
    );
    item.id = 'jp-vce-status';
    statusBar.registerStatusItem('jupyterlab-vce:status', {
      item,
      align: 'left',
      rank: 1000
    });
  }
};
