/**
 * Writing the builder's cell into notebooks: insert below the active cell
 * (one undoable step), run it, create a notebook when none is open, find a
 * cell again by id, and replace its source.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICellModel } from '@jupyterlab/cells';
import type { PartialJSONObject } from '@lumino/coreutils';
import {
  INotebookTracker,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import type { IQuery } from '../query/model';
import type { CellOutput } from '../query/read-cell';

import { METADATA_KEY } from './cell-context';

export { METADATA_KEY };

/** What the builder records in a cell it wrote (to tell hand edits apart). */
export interface ICellMetadata {
  query_builder: { query: IQuery; output: CellOutput };
}

export interface IInserted {
  panel: NotebookPanel;
  cellId: string;
  index: number;
}

/** The notebook the builder writes to: the last focused one, if any is open. */
export function currentNotebook(
  tracker: INotebookTracker
): NotebookPanel | null {
  const panel = tracker.currentWidget;
  return panel && !panel.isDisposed ? panel : null;
}

/**
 * A new notebook in the file browser's current folder, with the default
 * kernel, opened and ready.
 */
export async function newNotebook(
  app: JupyterFrontEnd,
  cwd: string
): Promise<NotebookPanel> {
  const kernelName = app.serviceManager.kernelspecs.specs?.default;
  const panel = (await app.commands.execute('notebook:create-new', {
    cwd,
    ...(kernelName ? { kernelName } : {})
  })) as NotebookPanel;
  await panel.context.ready;
  return panel;
}

function isBlank(cell: ICellModel | undefined): boolean {
  return (
    !!cell && cell.type === 'code' && cell.sharedModel.getSource().trim() === ''
  );
}

/**
 * Insert `source` as a code cell below the active cell (into the only cell of
 * an empty notebook), make it active and return where it went.
 */
export function insertBelow(
  panel: NotebookPanel,
  source: string,
  metadata: ICellMetadata
): IInserted {
  const notebook = panel.content;
  const model = notebook.model!;
  const cells = model.sharedModel;
  const only = model.cells.length === 1 ? model.cells.get(0) : undefined;
  let index: number;
  if (model.cells.length === 0) {
    index = 0;
    cells.insertCell(0, {
      cell_type: 'code',
      source,
      metadata: { [METADATA_KEY]: metadata as unknown as PartialJSONObject }
    });
  } else if (isBlank(only)) {
    index = 0;
    cells.transact(() => {
      only!.sharedModel.setSource(source);
      only!.sharedModel.setMetadata(METADATA_KEY, metadata as never);
    });
  } else {
    index = Math.min(
      Math.max(notebook.activeCellIndex, -1) + 1,
      model.cells.length
    );
    cells.insertCell(index, {
      cell_type: 'code',
      source,
      metadata: { [METADATA_KEY]: metadata as unknown as PartialJSONObject }
    });
  }
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  const cellId = model.cells.get(index).id;
  return { panel, cellId, index };
}

/** Run the cell at `index` in its notebook's kernel (JupyterLab's own run action). */
export async function runCell(
  panel: NotebookPanel,
  index: number
): Promise<boolean> {
  await panel.sessionContext.ready;
  const notebook = panel.content;
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  return NotebookActions.run(notebook, panel.sessionContext);
}

/** A cell by its id in any open notebook, with its notebook. */
export function findCell(
  tracker: INotebookTracker,
  cellId: string,
  path?: string
): { panel: NotebookPanel; cell: ICellModel; index: number } | null {
  let found: { panel: NotebookPanel; cell: ICellModel; index: number } | null =
    null;
  tracker.forEach(panel => {
    if (
      found ||
      panel.isDisposed ||
      !panel.content.model ||
      (path && panel.context.path !== path)
    ) {
      return;
    }
    const cells = panel.content.model.cells;
    for (let index = 0; index < cells.length; index++) {
      if (cells.get(index).id === cellId) {
        found = { panel, cell: cells.get(index), index };
        return;
      }
    }
  });
  return found;
}

/** Replace a cell's source and the builder's metadata in one undoable step. */
export function replaceCell(
  cell: ICellModel,
  source: string,
  metadata: ICellMetadata
): void {
  const shared = cell.sharedModel;
  shared.transact(() => {
    shared.setSource(source);
    shared.setMetadata(METADATA_KEY, metadata as never);
  });
}
