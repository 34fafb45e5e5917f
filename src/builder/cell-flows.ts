import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { parseCell } from '../query/read-cell';
import { canEditCell, cellInContext } from './cell-context';
import {
  currentNotebook,
  findCell,
  ICellMetadata,
  insertBelow,
  newNotebook,
  replaceCell,
  runCell
} from './cells';
import type { QueryBuilderModel } from './model';

export interface IQueryCellFlowsOptions {
  app: JupyterFrontEnd;
  tracker: INotebookTracker;
  model: QueryBuilderModel;
  trans: TranslationBundle;
  /** The folder a new notebook goes into (the file browser's). */
  cwd: () => string;
  /** Show the query builder's panel. */
  revealBuilder: () => void;
}

/**
 * The builder's flows on notebook cells: insert the query below the active
 * cell (and run it), update the cell it was loaded from, open an SDK cell
 * back in the builder. Each flow asks before losing anything.
 */
export class QueryCellFlows {
  constructor(private readonly _options: IQueryCellFlowsOptions) {}

  /** Whether the query's errors block inserting (or running): warns with the first. */
  blocked(forRun: boolean): boolean {
    const { model, trans } = this._options;
    const problems = model.problems.filter(
      problem => problem.severity === 'error'
    );
    const blocking = forRun
      ? problems
      : problems.filter(problem => problem.rule !== 'limit-over-quota');
    if (blocking.length === 0) {
      return false;
    }
    Notification.warning(
      trans.__(
        'The query has %1 problem(s): %2',
        blocking.length,
        blocking[0].message
      ),
      { autoClose: 8000 }
    );
    return true;
  }

  /** Write the query as a cell below the active cell (a new notebook when none is open); run it if asked. */
  async insert(run: boolean): Promise<void> {
    const { model, app } = this._options;
    if (this.blocked(run)) {
      return;
    }
    const code = model.code;
    const panel = await this._targetNotebook();
    const inserted = insertBelow(panel, code, this._metadata());
    model.setTarget({
      path: panel.context.path,
      cellId: inserted.cellId,
      source: code
    });
    app.shell.activateById(panel.id);
    if (run) {
      await runCell(panel, inserted.index);
    }
  }

  /** Replace the cell the query was loaded from, asking first if it was edited meanwhile. */
  async update(): Promise<void> {
    const { model, trans, tracker } = this._options;
    const target = model.target;
    if (!target) {
      return;
    }
    if (this.blocked(false)) {
      return;
    }
    const found = findCell(tracker, target.cellId);
    if (!found) {
      await showDialog({
        title: trans.__('The cell is gone'),
        body: trans.__(
          'The cell loaded from %1 is no longer open (the notebook was closed or the cell deleted). Insert the query instead.',
          target.path
        ),
        buttons: [Dialog.okButton({ label: trans.__('OK') })]
      });
      model.setTarget(null);
      return;
    }
    const current = found.cell.sharedModel.getSource();
    if (current !== target.source) {
      const answer = await showDialog({
        title: trans.__('Replace the edited cell?'),
        body: trans.__(
          'The cell was changed in the notebook since it was loaded into the Query Builder. Updating it replaces those changes with the query built here.'
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Keep the cell') }),
          Dialog.warnButton({ label: trans.__('Replace') })
        ],
        defaultButton: 0
      });
      if (!answer.button.accept) {
        return;
      }
    }
    const code = model.code;
    replaceCell(found.cell, code, this._metadata());
    const path = found.panel.context.path;
    model.setTarget({ ...target, path, source: code });
    Notification.success(
      trans.__('Cell %1 of %2 updated.', found.index + 1, path),
      { autoClose: 3000 }
    );
  }

  /** The cell a context menu was opened on, else the active cell of the current notebook. */
  cellInContext(fromContextMenu: boolean) {
    return cellInContext(this._options, fromContextMenu);
  }

  /** Whether that cell looks like a query the builder can open (a code cell with its code or metadata). */
  canEdit(fromContextMenu: boolean): boolean {
    return canEditCell(this._options, fromContextMenu);
  }

  /** Open that cell's query in the builder, or say why it cannot be. */
  async edit(fromContextMenu: boolean): Promise<void> {
    const { model, trans } = this._options;
    const found = this.cellInContext(fromContextMenu);
    if (!found) {
      return;
    }
    const { panel, cell } = found;
    const index = panel.content.widgets.indexOf(cell);
    if (index >= 0 && panel.content.activeCellIndex !== index) {
      panel.content.activeCellIndex = index;
    }
    const source = cell.model.sharedModel.getSource();
    const parsed = parseCell(source, trans);
    if (!parsed.ok) {
      await showDialog({
        title: trans.__('This cell cannot be opened in the Query Builder'),
        body: trans.__('%1 The cell is left as it is.', parsed.reason),
        buttons: [Dialog.okButton({ label: trans.__('OK') })]
      });
      return;
    }
    model.load(parsed.query, parsed.output, {
      path: panel.context.path,
      cellId: cell.model.id,
      source
    });
    this._options.revealBuilder();
  }

  private _metadata(): ICellMetadata {
    const { model } = this._options;
    return { query_builder: { query: model.query, output: model.output } };
  }

  /** The notebook to write to: the current one, or a new one in the browser's folder. */
  private async _targetNotebook() {
    const { app, tracker } = this._options;
    return (
      currentNotebook(tracker) ?? (await newNotebook(app, this._options.cwd()))
    );
  }
}
