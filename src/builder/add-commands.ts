import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { launchIcon } from '@jupyterlab/ui-components';
import { BuilderCommandIDs, CommandIDs, PALETTE_CATEGORY } from '../commands';
import { queryIcon } from '../icons';
import type { ILoadOnce } from '../common/lazy';
import type { BuilderAvailability } from './availability';
import type { ICellContextSource } from './cell-context';
import { canEditCell } from './cell-context';
import type { BuilderSession } from './session';

export interface IBuilderCommandsOptions {
  /** The builder's model and flows, loaded at the first command that needs them. */
  session: ILoadOnce<BuilderSession>;
  /** Whether this client may use the builder (not a reviewer). */
  availability: BuilderAvailability;
  /** The cell a command is about (the context menu's, else the active one). */
  cells: ICellContextSource;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
  /** Show the query builder's panel. */
  openPanel: () => void;
  /** Open the query builder in the main area (or show it there). */
  openMainArea: () => Promise<void>;
}

/**
 * The query builder's commands (open, insert, insert and run, copy, update,
 * edit a cell, preview, new), in the palette and the cell menu (the launcher
 * item is the availability's: none for a reviewer).
 */
export function addBuilderCommands(
  app: JupyterFrontEnd,
  options: IBuilderCommandsOptions
): void {
  const { session, trans, palette, availability } = options;
  const { commands } = app;
  // A reviewer's queries are refused by the platform: every builder command is off for them.
  const usable = () => availability.available;
  // Before the builder's code is loaded its model is the default query, which can be
  // inserted and run, and was loaded from no cell.
  const model = () => session.current?.model ?? null;

  commands.addCommand(CommandIDs.openQueryBuilder, {
    label: args =>
      args.isPalette
        ? trans.__('Open Query Builder')
        : trans.__('Query Builder'),
    caption: trans.__('Build a test-stage query and insert it as an SDK cell'),
    icon: queryIcon,
    isEnabled: usable,
    isVisible: usable,
    execute: options.openPanel
  });
  commands.addCommand(CommandIDs.openQueryBuilderMain, {
    label: args =>
      args.isPalette
        ? trans.__('Open Query Builder in the Main Area')
        : trans.__('Open in the Main Area'),
    caption: trans.__(
      'The Query Builder in the main area, with room for the sample and the cell (the same query as the sidebar)'
    ),
    icon: launchIcon,
    isEnabled: usable,
    isVisible: usable,
    execute: options.openMainArea
  });
  commands.addCommand(BuilderCommandIDs.insert, {
    label: trans.__('Insert Query Below the Active Cell'),
    caption: trans.__(
      'Insert the Query Builder cell below the active cell (a new notebook when none is open)'
    ),
    isEnabled: () => usable() && (model()?.canInsert ?? true),
    execute: async () => (await session()).flows.insert(false)
  });
  commands.addCommand(BuilderCommandIDs.insertAndRun, {
    label: trans.__('Insert Query and Run'),
    isEnabled: () => usable() && (model()?.canRun ?? true),
    execute: async () => (await session()).flows.insert(true)
  });
  commands.addCommand(BuilderCommandIDs.copy, {
    label: trans.__('Copy Query Cell'),
    isEnabled: usable,
    execute: async () => {
      Clipboard.copyToSystem((await session()).model.code);
      Notification.success(trans.__('The query cell was copied.'), {
        autoClose: 2000
      });
    }
  });
  commands.addCommand(BuilderCommandIDs.updateCell, {
    label: trans.__('Update Cell from the Query Builder'),
    isEnabled: () => {
      const current = model();
      return (
        usable() && !!current && current.target !== null && current.canInsert
      );
    },
    execute: async () => (await session()).flows.update()
  });
  commands.addCommand(BuilderCommandIDs.editCell, {
    label: trans.__('Edit in Query Builder'),
    icon: queryIcon,
    isVisible: args =>
      usable() && canEditCell(options.cells, args.fromContextMenu === true),
    execute: async args =>
      (await session()).flows.edit(args.fromContextMenu === true)
  });
  commands.addCommand(BuilderCommandIDs.preview, {
    label: trans.__('Preview Query Sample (uses quota)'),
    isEnabled: () => {
      const current = model();
      return (
        usable() &&
        (!current || (current.canRun && current.preview.state !== 'running'))
      );
    },
    execute: async () => (await session()).preview()
  });
  commands.addCommand(BuilderCommandIDs.newQuery, {
    label: trans.__('New Query in the Query Builder'),
    isEnabled: usable,
    execute: async () => (await session()).model.reset()
  });

  for (const command of [
    CommandIDs.openQueryBuilder,
    CommandIDs.openQueryBuilderMain
  ]) {
    palette?.addItem({
      command,
      category: PALETTE_CATEGORY,
      args: { isPalette: true }
    });
  }
  for (const command of [
    BuilderCommandIDs.insert,
    BuilderCommandIDs.insertAndRun,
    BuilderCommandIDs.copy,
    BuilderCommandIDs.updateCell,
    BuilderCommandIDs.editCell,
    BuilderCommandIDs.preview,
    BuilderCommandIDs.newQuery
  ]) {
    palette?.addItem({ command, category: PALETTE_CATEGORY });
  }
  availability.changed.connect(() => commands.notifyCommandChanged());
  app.contextMenu.addItem({
    command: BuilderCommandIDs.editCell,
    args: { fromContextMenu: true },
    selector: '.jp-Notebook .jp-CodeCell',
    rank: 0
  });
}
