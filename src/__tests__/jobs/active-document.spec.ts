import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { followActiveDocument } from '../../jobs/active-document';

/** A document context with only what following needs: a path and its pathChanged signal. */
class FakeContext {
  readonly pathChanged = new Signal<this, string>(this);
  constructor(public path: string) {}
  rename(path: string): void {
    this.path = path;
    this.pathChanged.emit(path);
  }
}

class FakeShell {
  readonly currentChanged = new Signal<this, null>(this);
  currentWidget: Widget | null = null;
  activate(widget: Widget | null): void {
    this.currentWidget = widget;
    this.currentChanged.emit(null);
  }
}

function setup() {
  const shell = new FakeShell();
  const contexts = new Map<Widget, FakeContext>();
  const documents = {
    contextForWidget: (widget: Widget) =>
      contexts.get(widget) as unknown as DocumentRegistry.Context | undefined
  };
  const seen: (string | null)[] = [];
  const editor = new Widget();
  const notebook = new Widget();
  const launcher = new Widget();
  contexts.set(editor, new FakeContext('untitled.py'));
  contexts.set(notebook, new FakeContext('analysis.ipynb'));
  shell.activate(editor);
  const following = followActiveDocument(shell, documents, path =>
    seen.push(path)
  );
  return { shell, contexts, seen, editor, notebook, launcher, following };
}

describe('followActiveDocument', () => {
  it('tells the active document now and whenever another widget becomes active', () => {
    const { shell, seen, notebook, launcher } = setup();
    shell.activate(notebook);
    shell.activate(launcher);
    expect(seen).toEqual(['untitled.py', 'analysis.ipynb', null]);
  });

  it('tells the new path when the active document is renamed (a new file saved under its name)', () => {
    const { contexts, seen, editor } = setup();
    contexts.get(editor)!.rename('regions.py');
    expect(seen).toEqual(['untitled.py', 'regions.py']);
  });

  it('stops listening to a document that is no longer active, and to everything once disposed', () => {
    const { shell, contexts, seen, editor, notebook, following } = setup();
    shell.activate(notebook);
    contexts.get(editor)!.rename('elsewhere.py');
    expect(seen).toEqual(['untitled.py', 'analysis.ipynb']);
    following.dispose();
    contexts.get(notebook)!.rename('renamed.ipynb');
    shell.activate(editor);
    expect(seen).toEqual(['untitled.py', 'analysis.ipynb']);
    expect(following.isDisposed).toBe(true);
  });
});
