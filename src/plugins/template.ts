import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { PALETTE_CATEGORY, TemplateCommandIDs } from '../commands';
import { shieldIcon } from '../icons';
import { loadErrorMessage } from '../common/chunk-error';
import { writeStarterScript } from '../template/create';
import { TRANSLATION_DOMAIN } from '../tokens';

/**
 * *New clean-room script* (launcher card and palette): a commented starter
 * script (docs/examples/clean_room_starter.py) written into the file
 * browser's folder and opened. It passes the output review as it is.
 */
export const templatePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-vce:template',
  description:
    'New clean-room script: a starter script that passes the review, from the launcher and the palette.',
  autoStart: true,
  optional: [ILauncher, ICommandPalette, IDefaultFileBrowser, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    palette: ICommandPalette | null,
    fileBrowser: IDefaultFileBrowser | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const { commands, serviceManager } = app;
    commands.addCommand(TemplateCommandIDs.newScript, {
      label: args =>
        args.isLauncher
          ? trans.__('Clean-Room Script')
          : trans.__('New Clean-Room Script'),
      caption: trans.__(
        'A commented starter script for the Data Clean Room: reads all videos of a query, counts them by group, suppresses small cells and writes a CSV to output/'
      ),
      icon: args => (args.isPalette ? undefined : shieldIcon),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            cwd: {
              type: 'string',
              description:
                "The folder to write the script into (default: the file browser's)"
            }
          }
        }
      },
      execute: async args => {
        const folder =
          typeof args.cwd === 'string'
            ? args.cwd
            : (fileBrowser?.model.path ?? '');
        let starter;
        try {
          // The text is loaded when first asked for: JupyterLab's start-up does not carry it.
          starter = await import('../template/starter.generated');
        } catch (error) {
          void showErrorMessage(
            trans.__('The clean-room script was not created'),
            loadErrorMessage(trans, trans.__('the starter script'), error)
          );
          return;
        }
        const { STARTER_SCRIPT } = starter;
        try {
          const path = await writeStarterScript(
            serviceManager.contents,
            folder,
            STARTER_SCRIPT
          );
          return commands.execute('docmanager:open', { path });
        } catch (error) {
          void showErrorMessage(
            trans.__('The clean-room script was not created'),
            trans.__(
              'It could not be written into "%1": %2',
              folder || '/',
              error instanceof Error ? error.message : String(error)
            )
          );
        }
      }
    });
    launcher?.add({
      command: TemplateCommandIDs.newScript,
      category: trans.__('Virtual Compute Environment'),
      rank: 2,
      args: { isLauncher: true }
    });
    palette?.addItem({
      command: TemplateCommandIDs.newScript,
      category: PALETTE_CATEGORY,
      args: { isPalette: true }
    });
  }
};
