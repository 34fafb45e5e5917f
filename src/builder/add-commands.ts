import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import type { ILauncher } from '@jupyterlab/launcher';
import type { TranslationBundle } from '@jupyterlab/translation';
import { BuilderCommandIDs, CommandIDs, PALETTE_CATEGORY } from '../commands';
import { queryIcon } from '../icons';
import type { QueryCellFlows } from './cell-flows';
import type { QueryBuilderModel } from './model';

export interface IBuilderCommandsOptions {
  model: QueryBuilderModel;
  flows: QueryCellFlows;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  /** Show the query builder's panel. */
  openPanel: () => void;
  /** Preview a sample of the query (the builder's Preview). */
  preview: () => Promise<void>;
}

/**
 * The query builder's commands (open, insert, insert and run, copy, update,
 * edit a cell, preview, new), in the palette, the launcher and the cell menu.
 */
export function addBuilderCommands(
  app: JupyterFrontEnd,
  options: IBuilderCommandsOptions
): void {
  const { model, flows, trans, palette, launcher } = options;
  const { commands } = app;

  commands.addCommand(CommandIDs.openQueryBuilder, {
    label: args =>
      args.isPalette
        ? trans.__('Open Query Builder')
        : trans.__('Query Builder'),
    caption: trans.__('Build a test-stage query and insert it as an SDK cell'),
    icon: queryIcon,
    execute: options.openPanel
  });
  commands.addCommand(BuilderCommandIDs.insert, {
    label: trans.__('Insert Query Below the Active Cell'),
    caption: trans.__(
      'Insert the Query Builder cell below the active cell (a new notebook when none is open)'
    ),
    isEnabled: () => model.canInsert,
    execute: () => flows.insert(false)
  });
  commands.addCommand(BuilderCommandIDs.insertAndRun, {
    label: trans.__('Insert Query and Run'),
    isEnabled: () => model.canRun,
    execute: () => flows.insert(true)
  });
  commands.addCommand(BuilderCommandIDs.copy, {
    label: trans.__('Copy Query Cell'),
    execute: () => {
      Clipboard.copyToSystem(model.code);
      Notification.success(trans.__('The query cell was copied.'), {
        autoClose: 2000
      });
    }
  });
  commands.addCommand(BuilderCommandIDs.updateCell, {
    label: trans.__('Update Cell from the Query Builder'),
    isEnabled: () => model.target !== null && model.canInsert,
    execute: () => flows.update()
  });
  commands.addCommand(BuilderCommandIDs.editCell, {
    label: trans.__('Edit in Query Builder'),
    icon: queryIcon,
    isVisible: args => flows.canEdit(args.fromContextMenu === true),
    execute: args => flows.edit(args.fromContextMenu === true)
  });
  commands.addCommand(BuilderCommandIDs.preview, {
    label: trans.__('Preview Query Sample (uses quota)'),
    isEnabled: () => model.canRun && model.preview.state !== 'running',
    execute: options.preview
  });
  commands.addCommand(BuilderCommandIDs.newQuery, {
    label: trans.__('New Query in the Query Builder'),
    execute: () => model.reset()
  });

  palette?.addItem({
    command: CommandIDs.openQueryBuilder,
    category: PALETTE_CATEGORY,
    args: { isPalette: true }
  });
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
  launcher?.add({
    command: CommandIDs.openQueryBuilder,
    category: trans.__('Virtual Compute Environment'),
    rank: 1
  });
  app.contextMenu.addItem({
    command: BuilderCommandIDs.editCell,
    args: { fromContextMenu: true },
    selector: '.jp-Notebook .jp-CodeCell',
    rank: 0
  });
}
