import { MainAreaWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { shieldIcon } from '../icons';

/** A submitted script, read-only, for the main area. */
export function submittedScriptWidget(
  title: string,
  content: string,
  name: string,
  trans: TranslationBundle
): MainAreaWidget {
  const body = new Widget();
  body.addClass('jp-vce-SubmittedScript');
  const pre = document.createElement('pre');
  pre.textContent = content;
  pre.setAttribute('aria-label', title);
  pre.tabIndex = 0;
  body.node.appendChild(pre);
  const widget = new MainAreaWidget({ content: body });
  widget.id = `jp-vce-submitted-${Date.now()}`;
  widget.title.label = title;
  widget.title.caption = trans.__(
    '%1, read-only: the file exactly as it was submitted.',
    name
  );
  widget.title.icon = shieldIcon;
  widget.title.closable = true;
  return widget;
}
