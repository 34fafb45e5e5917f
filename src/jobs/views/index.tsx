/** The two widgets the plugin puts in the jobs panel: the Submit and Jobs sections. */
import { ReactWidget } from '@jupyterlab/apputils';
import * as React from 'react';
import type { IPanelContext } from './context';
import { JobsView } from './JobsView';
import { SubmitView } from './SubmitView';

/** The sections of the shield panel as widgets. */
export function submitWidget(context: IPanelContext): ReactWidget {
  const widget = ReactWidget.create(<SubmitView context={context} />);
  widget.addClass('jp-vce-SubmitSection');
  widget.title.label = context.trans.__('Submit');
  return widget;
}

export function jobsWidget(
  context: IPanelContext,
  streamChanged: {
    connect: (fn: () => void) => unknown;
    disconnect: (fn: () => void) => unknown;
  }
): ReactWidget {
  const widget = ReactWidget.create(
    <JobsView context={context} streamChanged={streamChanged} />
  );
  widget.addClass('jp-vce-JobsSection');
  widget.title.label = context.trans.__('Jobs');
  return widget;
}
