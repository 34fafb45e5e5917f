import { MainAreaWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { mailIcon } from '../icons';
import { type IInboxApi, type IInboxEventSource, InboxModel } from './model';
import { type IInboxActions, InboxView } from './view';
import '../../style/jobs.css';
import '../../style/inbox.css';

/** The Inbox in the main area: one widget, its model reading the outbox each time it shows. */
export const INBOX_WIDGET_ID = 'jp-vce-inbox';

export interface IInboxOptions {
  api: IInboxApi;
  events: IInboxEventSource;
  actions: IInboxActions;
  trans: TranslationBundle;
}

class InboxWidget extends MainAreaWidget<InboxView> {
  constructor(
    readonly model: InboxModel,
    content: InboxView
  ) {
    super({ content });
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.model.refresh();
  }
}

/** A new Inbox widget (loaded lazily: the plugin imports this module when the inbox first opens). */
export function createInbox(options: IInboxOptions): InboxWidget {
  const model = new InboxModel({ api: options.api });
  const stop = model.follow(options.events);
  const widget = new InboxWidget(
    model,
    new InboxView(model, options.actions, options.trans)
  );
  widget.id = INBOX_WIDGET_ID;
  widget.title.label = options.trans.__('Inbox');
  widget.title.caption = options.trans.__(
    "The platform's mails to the primary researcher"
  );
  widget.title.icon = mailIcon;
  widget.title.closable = true;
  widget.disposed.connect(stop);
  return widget;
}

export type { InboxWidget };
