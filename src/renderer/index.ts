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
    const { isQueryResultData, renderResult } = await import('./table');
    if (!isQueryResultData(data)) {
      this.node.textContent = this._trans.__(
        'This query result cannot be shown: its data is not a list of records.'
      );
      return;
    }
    renderResult(this.node, data, this._trans);
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
