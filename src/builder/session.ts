/**
 * The query builder's code that is not needed at start, loaded the first time
 * the builder shows or one of its commands runs (`plugins/query-builder.ts`
 * keeps the panel, the commands and the launcher item): the model, its views
 * (sidebar and main area), the cell flows and the preview.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { VCEClient } from '../api/client';
import { BuilderCommandIDs } from '../commands';
import type { PlatformStatusModel } from '../status/model';
import type { IBuilderActions } from './actions';
import { currentNotebook } from './cells';
import { QueryCellFlows } from './cell-flows';
import type { IBuilderDefaults } from './defaults';
import { pythonHighlighter } from './highlight';
import { BuilderMainArea } from './main-area';
import { QueryBuilderModel } from './model';
import { previewQuery } from './preview';
import { followQuota } from './quota';
import { QueryBuilderView } from './QueryBuilderView';
import '../../style/jobs.css';
import '../../style/query-builder.css';

export interface IBuilderSessionOptions {
  app: JupyterFrontEnd;
  tracker: INotebookTracker;
  client: VCEClient;
  /** The connection's status (quota, and whether a preview may run); null without the core plugin. */
  status: PlatformStatusModel | null;
  languages: IEditorLanguageRegistry | null;
  trans: TranslationBundle;
  /** The settings' defaults now (the limit, how a cell shows its result). */
  defaults: IBuilderDefaults;
  /** The folder a new notebook goes into (the file browser's). */
  cwd: () => string;
  /** Show the builder's sidebar. */
  revealBuilder: () => void;
}

/** The builder's model and everything that acts on it. */
export class BuilderSession {
  constructor(private readonly _options: IBuilderSessionOptions) {
    const { app, tracker, trans, status } = _options;
    const { commands } = app;
    this.model = new QueryBuilderModel({}, trans);
    this.applyDefaults(_options.defaults);
    // The day's quota, live from the connection model (the status bar's, moved by its event stream).
    if (status) {
      followQuota(this.model, status);
    }
    this.actions = {
      insert: () => void commands.execute(BuilderCommandIDs.insert),
      insertAndRun: () => void commands.execute(BuilderCommandIDs.insertAndRun),
      copy: () => void commands.execute(BuilderCommandIDs.copy),
      update: () => void commands.execute(BuilderCommandIDs.updateCell),
      preview: () => void commands.execute(BuilderCommandIDs.preview),
      newQuery: () => void commands.execute(BuilderCommandIDs.newQuery),
      highlight: pythonHighlighter(_options.languages),
      hasNotebook: () => currentNotebook(tracker) !== null
    };
    this.flows = new QueryCellFlows({
      app,
      tracker,
      model: this.model,
      trans,
      cwd: _options.cwd,
      revealBuilder: _options.revealBuilder
    });
    this.mainArea = new BuilderMainArea(this.model, this.actions, trans);
  }

  readonly model: QueryBuilderModel;
  readonly actions: IBuilderActions;
  readonly flows: QueryCellFlows;
  /** The builder in the main area (a second view of the one model). */
  readonly mainArea: BuilderMainArea;

  /** The sidebar's view, once it was created. */
  get sidebarView(): QueryBuilderView | null {
    return this._sidebarView;
  }

  /** The sidebar's view (created at its first call). */
  createSidebarView(): QueryBuilderView {
    return (this._sidebarView ??= new QueryBuilderView(
      this.model,
      this.actions
    ));
  }

  /** The settings changed (or were loaded). */
  applyDefaults(values: IBuilderDefaults): void {
    this.model.setDefaults(values);
    if (this.model.target === null) {
      this.model.setOutput(values.output);
    }
  }

  /** Re-render the views (the insert button's label follows the open notebooks). */
  updateViews(): void {
    this._sidebarView?.update();
    this.mainArea.view?.update();
  }

  /** Preview a sample of the query (the builder's Preview). */
  async preview(): Promise<void> {
    if (!this.flows.blocked(true)) {
      await previewQuery(
        this.model,
        this._options.client,
        this._options.status,
        this._options.trans
      );
    }
  }

  private _sidebarView: QueryBuilderView | null = null;
}
