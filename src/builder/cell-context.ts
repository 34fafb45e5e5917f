/**
 * Which notebook cell a builder command is about (the one a context menu was
 * opened on, else the active cell) and whether it looks like a query the
 * builder can open. Cheap: the cell menu asks it at start, before the
 * builder's code is loaded.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { looksLikeQueryCell } from '../query/looks-like';

/** The cell metadata key under which the builder keeps what it wrote. */
export const METADATA_KEY = 'vce';

export interface ICellContextSource {
  app: Pick<JupyterFrontEnd, 'contextMenuHitTest'>;
  tracker: INotebookTracker;
}

/** The cell a context menu was opened on, else the active cell of the current notebook. */
export function cellInContext(
  { app, tracker }: ICellContextSource,
  fromContextMenu: boolean
) {
  const panel = tracker.currentWidget;
  if (!panel) {
    return null;
  }
  const node = fromContextMenu
    ? app.contextMenuHitTest(element => element.classList.contains('jp-Cell'))
    : undefined;
  const hit = node
    ? panel.content.widgets.find(widget => widget.node === node)
    : undefined;
  const cell = hit ?? panel.content.activeCell;
  return cell ? { panel, cell } : null;
}

/** Whether that cell looks like a query the builder can open (a code cell with its code or metadata). */
export function canEditCell(
  source: ICellContextSource,
  fromContextMenu: boolean
): boolean {
  const cell = cellInContext(source, fromContextMenu)?.cell;
  return (
    !!cell &&
    cell.model.type === 'code' &&
    (looksLikeQueryCell(cell.model.sharedModel.getSource()) ||
      cell.model.getMetadata(METADATA_KEY) !== undefined)
  );
}
