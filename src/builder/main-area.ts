/**
 * The Query Builder in the main area: a second view of the one builder
 * model, where the preview's table and the cell have room (the sidebar shows
 * about two columns). Both views render the same `QueryBuilderModel`, so a
 * change in one shows in the other at once; the commands act on the model,
 * whichever view is in front. Like the sidebar's, the view's code is loaded
 * the first time it opens.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { queryIcon } from '../icons';
import type { IBuilderActions } from './actions';
import type { QueryBuilderModel } from './model';
import type { QueryBuilderView } from './QueryBuilderView';

/** The main-area widget's id (one at a time). */
export const MAIN_AREA_BUILDER_ID = 'jp-vce-query-builder-main';

export type BuilderMainWidget = MainAreaWidget<QueryBuilderView>;

export class BuilderMainArea {
  constructor(
    private readonly _model: QueryBuilderModel,
    private readonly _actions: IBuilderActions,
    private readonly _trans: TranslationBundle
  ) {}

  /** The open main-area builder, if any. */
  get widget(): BuilderMainWidget | null {
    return this._widget && !this._widget.isDisposed ? this._widget : null;
  }

  /** Its view (to re-render when the open notebooks change). */
  get view(): QueryBuilderView | null {
    return this.widget?.content ?? null;
  }

  /** The main-area builder: the open one, or a new one (not yet added to the shell). */
  widgetToShow(): Promise<BuilderMainWidget> {
    const open = this.widget;
    if (open) {
      return Promise.resolve(open);
    }
    // One creation at a time: a restore and a click together make one builder, not two.
    this._creating ??= this._create().finally(() => {
      this._creating = null;
    });
    return this._creating;
  }

  private async _create(): Promise<BuilderMainWidget> {
    const module = await import('./QueryBuilderView');
    const content = new module.QueryBuilderView(
      this._model,
      this._actions,
      'main'
    );
    const widget = new MainAreaWidget({ content });
    widget.id = MAIN_AREA_BUILDER_ID;
    widget.addClass('jp-vce-QueryBuilderMain');
    widget.title.label = this._trans.__('Query Builder');
    widget.title.caption = this._trans.__(
      'Build a test-stage query and insert it as an SDK cell'
    );
    widget.title.icon = queryIcon;
    widget.title.closable = true;
    this._widget = widget;
    return widget;
  }

  private _creating: Promise<BuilderMainWidget> | null = null;
  private _widget: BuilderMainWidget | null = null;
}
