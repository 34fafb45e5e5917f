/**
 * The MIME renderer of the SDK's query results (`QUERY_RESULT_MIME`, sent by
 * pyrqs's rich display): a table with the record count and the quota left.
 * A mime extension (package.json `jupyterlab.mimeExtension`), so notebooks,
 * consoles and output views all use it. JupyterLab loads this entry at start:
 * it stays tiny, and the table's code (`table.ts`) loads with the first result.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { QUERY_RESULT_MIME } from './mime';
import { loadErrorMessage } from '../common/chunk-error';
import {
  plainTranslate,
  Translate,
  TRANSLATION_DOMAIN
} from '../common/translate';

export class QueryResultRenderer
  extends Widget
  implements IRenderMime.IRenderer
{
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this._mimeType = options.mimeType;
    this._trans =
      options.translator?.load(TRANSLATION_DOMAIN) ?? plainTranslate;
    this.addClass('jp-vce-ResultRenderer');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this._mimeType];
    let table;
    try {
      table = await import('./table');
    } catch (error) {
      // The records came with the output (the quota is spent): show them plainly.
      console.error(
        'jupyterlab-vce: the result table could not be loaded',
        error
      );
      this._renderPlain(data, error);
      return;
    }
    const { isQueryResultData, renderResult } = table;
    if (!isQueryResultData(data)) {
      this.node.textContent = this._trans.__(
        'This query result cannot be shown: its data is not a list of records.'
      );
      return;
    }
    renderResult(this.node, data, this._trans);
  }

  /** The records as JSON text, under a line saying the table could not be loaded. */
  private _renderPlain(data: unknown, error: unknown): void {
    const note = document.createElement('p');
    note.className = 'jp-vce-ResultRenderer-fallback';
    note.setAttribute('role', 'alert');
    note.textContent = `${loadErrorMessage(
      this._trans,
      this._trans.__('the result table'),
      error
    )} ${this._trans.__(
      'The records are shown as text below; reopen the notebook to see the table.'
    )}`;
    const records =
      typeof data === 'object' && data !== null && 'records' in data
        ? (data as { records: unknown }).records
        : data;
    const text = document.createElement('pre');
    text.className = 'jp-vce-ResultRenderer-plain';
    text.textContent = JSON.stringify(records, null, 2) ?? '';
    this.node.replaceChildren(note, text);
  }

  private readonly _mimeType: string;
  private readonly _trans: Translate;
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [QUERY_RESULT_MIME],
  defaultRank: 10,
  createRenderer: options => new QueryResultRenderer(options)
};

const extension: IRenderMime.IExtension = {
  id: 'jupyterlab-vce:query-result-renderer',
  description:
    'Renders the SDK query results as a table with the record count and the quota left.',
  rendererFactory,
  rank: 10,
  dataType: 'json'
};

export default extension;
