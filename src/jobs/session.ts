/**
 * The shield sidebar's code that is not needed at start, loaded the first time
 * the sidebar shows or a command acts on a job (`plugins/jobs.ts` keeps the
 * frame, the jobs model, the commands and the notifications): the actions
 * (submission, download, the attestation check and its verifier), the Submit
 * and Jobs views, and a reviewer's manual-review queue.
 */
import type { SidePanel } from '@jupyterlab/ui-components';
import type { ITranslator } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import type { IReviewApi } from '../api/client';
import type { IPlatformEvents } from '../events/shared';
import { ReviewModel } from '../review/model';
import { ReviewSection } from '../review/panel';
import type { OpenInLab } from '../review/actions';
import { IJobActionsOptions, JobActions } from './actions';
import { createShieldPanel, IShieldPanel } from './panel';
import { submittedScriptWidget } from './script-view';
import '../../style/jobs.css';
import '../../style/review.css';

export interface IJobsSessionOptions extends Omit<
  IJobActionsOptions,
  'showScript'
> {
  /** The review queue's API (the lab's client). */
  reviewApi: IReviewApi;
  /** Show a widget in the main area (a submitted script). */
  showInMainArea: (widget: Widget) => void;
  /** Open a file the review read in the lab's own viewer. */
  openInLab: OpenInLab;
  events: IPlatformEvents;
  translator: ITranslator;
  signIn: () => void;
  /** The sidebar's frame, on screen since the start. */
  panel: SidePanel;
}

/** The shield sidebar's actions and sections. */
export class JobsSession {
  constructor(options: IJobsSessionOptions) {
    const { trans } = options;
    this.actions = new JobActions({
      ...options,
      showScript: (title, content, name) =>
        options.showInMainArea(
          submittedScriptWidget(title, content, name, trans)
        )
    });
    this.review = new ReviewModel({ api: options.reviewApi });
    this.shield = createShieldPanel({
      actions: this.actions,
      review: new ReviewSection(this.review, trans, options.openInLab),
      events: options.events,
      trans,
      translator: options.translator,
      signIn: options.signIn,
      panel: options.panel,
      dropTarget: false
    });
  }

  readonly actions: JobActions;
  /** A reviewer client's queue (active while the lab's client is a connected reviewer). */
  readonly review: ReviewModel;
  readonly shield: IShieldPanel;
}
