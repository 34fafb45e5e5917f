import { ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import * as React from 'react';
import type { ReviewItem, ReviewOutput } from '../api/types';
import { decideWithDialog, openOutput, type OpenInLab } from './actions';
import type { ReviewModel } from './model';
import { ReviewQueueView } from './views/ReviewQueueView';

/**
 * The shield panel's "Manual review" section, shown to reviewer clients. The
 * platform sends no review events, so the queue is read again whenever the
 * section comes into view (the sidebar opened, the reviewer signed in).
 * `openInLab` shows a saved file in a viewer (the document manager's
 * `openOrReveal`).
 */
export class ReviewSection extends ReactWidget {
  constructor(
    private readonly _model: ReviewModel,
    private readonly _trans: TranslationBundle,
    private readonly _openInLab: OpenInLab
  ) {
    super();
    this.addClass('jp-vce-ReviewSection');
    this.title.label = _trans.__('Manual review');
  }

  protected render(): JSX.Element {
    const decide = (job: ReviewItem, decision: 'approve' | 'reject') =>
      void decideWithDialog(this._model, job, decision, this._trans);
    const open = (jobId: string, output: ReviewOutput) =>
      void openOutput(this._model, jobId, output, this._openInLab, this._trans);
    return (
      <ReviewQueueView
        model={this._model}
        trans={this._trans}
        decide={decide}
        open={open}
      />
    );
  }

  protected onAfterShow(message: Message): void {
    super.onAfterShow(message);
    void this._model.refresh();
  }
}
