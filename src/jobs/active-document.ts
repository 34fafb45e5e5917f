import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';

/** What following the active document needs of the shell (ILabShell has it). */
export interface IActiveWidgetSource {
  readonly currentWidget: Widget | null;
  readonly currentChanged: ISignal<unknown, unknown>;
}

/** What it needs of the document manager (IDocumentManager has it). */
export interface IDocumentContexts {
  contextForWidget(widget: Widget): DocumentRegistry.Context | undefined;
}

/**
 * Tells `onPath` the path of the active document (null when the active widget
 * is not a document): now, whenever another widget becomes active, and
 * whenever the active document's path changes while it stays active (the
 * rename of a new file's first save, Save As, a rename in the file browser).
 */
export function followActiveDocument(
  shell: IActiveWidgetSource,
  documents: IDocumentContexts,
  onPath: (path: string | null) => void
): IDisposable {
  let followed: DocumentRegistry.Context | undefined;
  let disposed = false;
  const renamed = (_: unknown, path: string) => onPath(path);
  const follow = (context: DocumentRegistry.Context | undefined) => {
    if (context !== followed) {
      followed?.pathChanged.disconnect(renamed);
      context?.pathChanged.connect(renamed);
      followed = context;
    }
  };
  const sync = () => {
    const widget = shell.currentWidget;
    const context = widget ? documents.contextForWidget(widget) : undefined;
    follow(context);
    onPath(context?.path ?? null);
  };
  shell.currentChanged.connect(sync);
  sync();
  return {
    get isDisposed() {
      return disposed;
    },
    dispose() {
      if (!disposed) {
        disposed = true;
        shell.currentChanged.disconnect(sync);
        follow(undefined);
      }
    }
  };
}
