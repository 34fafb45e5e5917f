/**
 * Writing the builder's cell into a notebook model: below the active cell in
 * one step, into the only blank cell of a new notebook, found again by id,
 * replaced with its metadata.
 */
import { NotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { NBTestUtils } from '@jupyterlab/notebook/lib/testutils';
import {
  findCell,
  insertBelow,
  METADATA_KEY,
  replaceCell
} from '../../builder/cells';
import { SEED_CELL } from '../helpers/query-seed';

const meta = {
  query_builder: {
    query: { category: 'video' as const, groups: [], fields: ['id'], limit: 1 },
    output: 'print' as const
  }
};

function panelWith(sources: string[]): NotebookPanel {
  const notebook = NBTestUtils.createNotebook();
  const model = new NotebookModel();
  model.sharedModel.insertCells(
    0,
    sources.map(source => ({ cell_type: 'code', source }))
  );
  notebook.model = model;
  return {
    content: notebook,
    context: { path: 'a.ipynb' },
    isDisposed: false
  } as unknown as NotebookPanel;
}

describe('writing cells', () => {
  it('inserts below the active cell, as code, with the metadata, and activates it', () => {
    const panel = panelWith(['x = 1', 'y = 2']);
    panel.content.activeCellIndex = 0;
    const inserted = insertBelow(panel, SEED_CELL, meta);
    const cells = panel.content.model!.cells;
    expect(inserted.index).toBe(1);
    expect(cells.length).toBe(3);
    expect(cells.get(1).type).toBe('code');
    expect(cells.get(1).sharedModel.getSource()).toBe(SEED_CELL);
    expect(cells.get(1).getMetadata(METADATA_KEY)).toEqual(meta);
    expect(cells.get(1).id).toBe(inserted.cellId);
    expect(panel.content.activeCellIndex).toBe(1);
    expect(cells.get(2).sharedModel.getSource()).toBe('y = 2');
  });

  it('fills the only blank cell of a new notebook instead of adding one', () => {
    const panel = panelWith(['  ']);
    const inserted = insertBelow(panel, SEED_CELL, meta);
    expect(inserted.index).toBe(0);
    expect(panel.content.model!.cells.length).toBe(1);
    expect(panel.content.model!.cells.get(0).sharedModel.getSource()).toBe(
      SEED_CELL
    );
  });

  it('finds a cell again by id and replaces it in place', () => {
    const panel = panelWith(['x = 1', 'old']);
    const id = panel.content.model!.cells.get(1).id;
    const tracker = {
      forEach: (fn: (panel: NotebookPanel) => void) => fn(panel)
    } as any;
    const found = findCell(tracker, id, 'a.ipynb')!;
    expect(found.index).toBe(1);
    expect(findCell(tracker, id, 'b.ipynb')).toBeNull();
    expect(findCell(tracker, 'nope')).toBeNull();
    replaceCell(found.cell, SEED_CELL, meta);
    expect(panel.content.model!.cells.get(1).sharedModel.getSource()).toBe(
      SEED_CELL
    );
    expect(panel.content.model!.cells.get(1).getMetadata(METADATA_KEY)).toEqual(
      meta
    );
    expect(panel.content.model!.cells.length).toBe(2);
  });
});
