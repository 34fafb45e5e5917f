import * as React from 'react';
import { ReactWidget } from '@jupyterlab/apputils';

/**
 * A panel that marks the place of a capability still being built, and says
 * so plainly, with what a researcher can do today instead.
 */
export function placeholderWidget(options: {
  heading: string;
  explanation: string;
  meanwhile: string;
}): ReactWidget {
  const widget = ReactWidget.create(
    <div className="jp-vce-Placeholder">
      <p className="jp-vce-Placeholder-badge">Placeholder: not built yet</p>
      <p>{options.explanation}</p>
      <p>{options.meanwhile}</p>
    </div>
  );
  widget.addClass('jp-vce-PlaceholderPanel');
  // The side panel's section header shows it.
  widget.title.label = options.heading;
  return widget;
}
