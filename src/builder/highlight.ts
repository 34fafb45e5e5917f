import {
  IEditorLanguageRegistry,
  jupyterHighlightStyle
} from '@jupyterlab/codemirror';
import type { IBuilderActions } from './actions';

/** Python highlighting with CodeMirror's highlighter, or null without a Python language. */
export function pythonHighlighter(
  languages: IEditorLanguageRegistry | null
): IBuilderActions['highlight'] {
  let styleMounted = false;
  const python =
    languages?.findByName('python') ??
    languages?.findByMIME('text/x-ipython') ??
    null;
  return languages && python
    ? async (code, element) => {
        if (!styleMounted && jupyterHighlightStyle.module) {
          // The highlighter's classes are styled by a module CodeMirror mounts
          // with its first editor: mount it for a panel shown before any editor.
          const module = jupyterHighlightStyle.module;
          (
            module.constructor as unknown as {
              mount(root: Document, m: unknown): void;
            }
          ).mount(document, module);
          styleMounted = true;
        }
        await languages.highlight(code, python, element);
      }
    : null;
}
