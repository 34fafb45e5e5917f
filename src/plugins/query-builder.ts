import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Clipboard,
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { IEditorLanguageRegistry, jupyterHighlightStyle } from '@jupyterlab/codemirror';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import { requestAPI, VCEApiError } from '../api/request';
import type { Quota } from '../api/types';
import {
  currentNotebook,
  findCell,
  ICellMetadata,
  insertBelow,
  METADATA_KEY,
  newNotebook,
  replaceCell,
  runCell
} from '../builder/cells';
import { BUILDER_DEFAULTS, IBuilderDefaults, QueryBuilderModel } from '../builder/model';
import type { IBuilderActions, QueryBuilderView } from '../builder/QueryBuilderView';
import { queryIcon } from '../icons';
import { toRequestBody } from '../query/model';
import { looksLikeQueryCell, parseCell } from '../query/read-cell';
import { CommandIDs, IVCEConnection, PALETTE_CATEGORY, TRANSLATION_DOMAIN } from '../tokens';

/** The query builder's commands. */
export namespace BuilderCommandIDs {
  export const insert = 'vce:query-builder-insert';
  export const insertAndRun = 'vce:query-builder-insert-and-run';
  export const copy = 'vce:query-builder-copy';
  export const updateCell = 'vce:query-builder-update-cell';
  export const editCell = 'vce:query-builder-edit-cell';
  export const preview = 'vce:query-builder-preview';
  export const newQuery = 'vce:query-builder-new';
}

const PLUGIN_ID = 'jupyterlab-vce:query-builder';

interface IQueryAnswer {
  data: {
    category: string;
    records: Record<string, unknown>[];
    count: number;
    quota?: Quota;
  };
}

/**
 * The query builder (left sidebar): build a test-stage query, write it as an
 * SDK cell below the active cell (or into a new notebook), run it, copy it,
 * open an SDK cell back and update it, preview a sample through the platform.
 */
export const queryBuilderPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The query builder sidebar (left): build a query, insert it as an SDK cell.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    IVCEConnection,
    ILayoutRestorer,
    ICommandPalette,
    ILauncher,
    IDefaultFileBrowser,
    IEditorLanguageRegistry,
    ISettingRegistry,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    connection: IVCEConnection | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    fileBrowser: IDefaultFileBrowser | null,
    languages: IEditorLanguageRegistry | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const model = new QueryBuilderModel({}, trans);
    const { commands, shell } = app;

    // The day's quota, live from the connection model (and its event stream).
    if (connection) {
      const syncQuota = () => model.setQuota(connection.status.status?.quota ?? null);
      connection.status.changed.connect(syncQuota);
      syncQuota();
    }
    if (settingRegistry) {
      void settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          const apply = () => {
            const composite = settings.composite as Partial<{ defaultLimit: number; resultOutput: string }>;
            const defaults: Partial<IBuilderDefaults> = {};
            if (typeof composite.defaultLimit === 'number') {
              defaults.limit = composite.defaultLimit;
            }
            if (composite.resultOutput === 'print' || composite.resultOutput === 'display') {
              defaults.output = composite.resultOutput;
            }
            model.setDefaults({ ...BUILDER_DEFAULTS, ...defaults });
            if (defaults.output && model.target === null) {
              model.setOutput(defaults.output);
            }
          };
          settings.changed.connect(apply);
          apply();
        })
        .catch(reason => console.warn('jupyterlab-vce: query builder settings not loaded', reason));
    }

    let styleMounted = false;
    const python = languages?.findByName('python') ?? languages?.findByMIME('text/x-ipython') ?? null;
    const highlight: IBuilderActions['highlight'] =
      languages && python
        ? async (code, element) => {
            if (!styleMounted && jupyterHighlightStyle.module) {
              // The highlighter's classes are styled by a module CodeMirror mounts
              // with its first editor: mount it for a panel shown before any editor.
              const module = jupyterHighlightStyle.module;
              (module.constructor as unknown as { mount(root: Document, m: unknown): void }).mount(document, module);
              styleMounted = true;
            }
            await languages.highlight(code, python, element);
          }
        : null;

    const metadata = (): ICellMetadata => ({
      query_builder: { query: model.query, output: model.output }
    });

    /** The notebook to write to: the current one, or a new one in the browser's folder. */
    const targetNotebook = async () =>
      currentNotebook(tracker) ?? (await newNotebook(app, fileBrowser?.model.path ?? ''));

    const blocked = (forRun: boolean): boolean => {
      const problems = model.problems.filter(problem => problem.severity === 'error');
      const blocking = forRun ? problems : problems.filter(problem => problem.rule !== 'limit-over-quota');
      if (blocking.length === 0) {
        return false;
      }
      Notification.warning(
        trans.__('The query has %1 problem(s): %2', blocking.length, blocking[0].message),
        { autoClose: 8000 }
      );
      return true;
    };

    const insert = async (run: boolean) => {
      if (blocked(run)) {
        return;
      }
      const code = model.code;
      const panel = await targetNotebook();
      const inserted = insertBelow(panel, code, metadata());
      model.setTarget({ path: panel.context.path, cellId: inserted.cellId, source: code });
      shell.activateById(panel.id);
      if (run) {
        await runCell(panel, inserted.index);
      }
    };

    const update = async () => {
      const target = model.target;
      if (!target) {
        return;
      }
      if (blocked(false)) {
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
      replaceCell(found.cell, code, metadata());
      const path = found.panel.context.path;
      model.setTarget({ ...target, path, source: code });
      Notification.success(trans.__('Cell %1 of %2 updated.', found.index + 1, path), { autoClose: 3000 });
    };

    /** The cell a context menu was opened on, else the active cell of the current notebook. */
    const cellInContext = (fromContextMenu: boolean) => {
      const panel = tracker.currentWidget;
      if (!panel) {
        return null;
      }
      const node = fromContextMenu
        ? app.contextMenuHitTest(element => element.classList.contains('jp-Cell'))
        : undefined;
      const hit = node ? panel.content.widgets.find(widget => widget.node === node) : undefined;
      const cell = hit ?? panel.content.activeCell;
      return cell ? { panel, cell } : null;
    };

    const editCell = async (fromContextMenu: boolean) => {
      const found = cellInContext(fromContextMenu);
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
      shell.activateById(sidePanel.id);
    };

    const preview = async () => {
      if (blocked(true)) {
        return;
      }
      model.setPreview({ state: 'running' });
      const query = model.query;
      try {
        const answer = await requestAPI<IQueryAnswer>(
          'query',
          { method: 'POST', body: JSON.stringify(toRequestBody(query)) },
          app.serviceManager.serverSettings
        );
        model.setPreview({
          state: 'done',
          category: answer.data.category,
          fields: query.fields,
          records: answer.data.records,
          count: answer.data.count,
          quota: answer.data.quota ?? null
        });
        if (answer.data.quota) {
          connection?.status.applyQuota(answer.data.quota);
        }
      } catch (error) {
        const message =
          error instanceof VCEApiError
            ? error.message
            : trans.__('The preview failed: %1', error instanceof Error ? error.message : String(error));
        model.setPreview({ state: 'failed', message });
        void connection?.status.refresh();
      }
    };

    const actions: IBuilderActions = {
      insert: () => void commands.execute(BuilderCommandIDs.insert),
      insertAndRun: () => void commands.execute(BuilderCommandIDs.insertAndRun),
      copy: () => void commands.execute(BuilderCommandIDs.copy),
      update: () => void commands.execute(BuilderCommandIDs.updateCell),
      preview: () => void commands.execute(BuilderCommandIDs.preview),
      newQuery: () => void commands.execute(BuilderCommandIDs.newQuery),
      highlight,
      hasNotebook: () => currentNotebook(tracker) !== null
    };

    const sidePanel = new SidePanel({ translator: translator ?? nullTranslator });
    sidePanel.id = 'jp-vce-query-builder';
    sidePanel.title.icon = queryIcon;
    sidePanel.title.caption = trans.__('Query Builder');
    sidePanel.addClass('jp-vce-QueryBuilderPanel');
    const heading = document.createElement('h2');
    heading.className = 'jp-vce-PanelTitle';
    heading.textContent = trans.__('Query Builder');
    sidePanel.header.node.appendChild(heading);
    // The panel's React view is loaded when the panel is first shown, so
    // JupyterLab's start-up does not pay for it (NOTES.md).
    let view: QueryBuilderView | null = null;
    const section = new LazySection(async () => {
      const module = await import('../builder/QueryBuilderView');
      view = new module.QueryBuilderView(model, actions);
      return view;
    });
    section.title.label = trans.__('Test-stage query');
    sidePanel.addWidget(section);
    shell.add(sidePanel, 'left', { rank: 600 });
    restorer?.add(sidePanel, sidePanel.id);
    // The insert button's label follows the open notebooks.
    tracker.currentChanged.connect(() => view?.update());

    commands.addCommand(CommandIDs.openQueryBuilder, {
      label: args => (args.isPalette ? trans.__('Open Query Builder') : trans.__('Query Builder')),
      caption: trans.__('Build a test-stage query and insert it as an SDK cell'),
      icon: queryIcon,
      execute: () => shell.activateById(sidePanel.id)
    });
    commands.addCommand(BuilderCommandIDs.insert, {
      label: trans.__('Insert Query Below the Active Cell'),
      caption: trans.__('Insert the Query Builder cell below the active cell (a new notebook when none is open)'),
      isEnabled: () => model.canInsert,
      execute: () => insert(false)
    });
    commands.addCommand(BuilderCommandIDs.insertAndRun, {
      label: trans.__('Insert Query and Run'),
      isEnabled: () => model.canRun,
      execute: () => insert(true)
    });
    commands.addCommand(BuilderCommandIDs.copy, {
      label: trans.__('Copy Query Cell'),
      execute: () => {
        Clipboard.copyToSystem(model.code);
        Notification.success(trans.__('The query cell was copied.'), { autoClose: 2000 });
      }
    });
    commands.addCommand(BuilderCommandIDs.updateCell, {
      label: trans.__('Update Cell from the Query Builder'),
      isEnabled: () => model.target !== null && model.canInsert,
      execute: update
    });
    commands.addCommand(BuilderCommandIDs.editCell, {
      label: trans.__('Edit in Query Builder'),
      icon: queryIcon,
      isVisible: args => {
        const cell = cellInContext(args.fromContextMenu === true)?.cell;
        return (
          !!cell &&
          cell.model.type === 'code' &&
          (looksLikeQueryCell(cell.model.sharedModel.getSource()) || cell.model.getMetadata(METADATA_KEY) !== undefined)
        );
      },
      execute: args => editCell(args.fromContextMenu === true)
    });
    commands.addCommand(BuilderCommandIDs.preview, {
      label: trans.__('Preview Query Sample (uses quota)'),
      isEnabled: () => model.canRun && model.preview.state !== 'running',
      execute: preview
    });
    commands.addCommand(BuilderCommandIDs.newQuery, {
      label: trans.__('New Query in the Query Builder'),
      execute: () => model.reset()
    });

    palette?.addItem({ command: CommandIDs.openQueryBuilder, category: PALETTE_CATEGORY, args: { isPalette: true } });
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
};

/** A side panel section whose content is created the first time it is shown. */
class LazySection extends Panel {
  constructor(private readonly _create: () => Promise<Widget>) {
    super();
    this.addClass('jp-vce-QB-host');
  }

  /** The content, created now if it was not yet. */
  load(): Promise<void> {
    return (this._loading ??= this._create().then(widget => this.addWidget(widget)));
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.load();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      void this.load();
    }
  }

  private _loading: Promise<void> | null = null;
}
