import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { SidePanel } from '@jupyterlab/ui-components';
import {
  InboxCommandIDs,
  JobCommandIDs,
  PALETTE_CATEGORY,
  SHIELD_PANEL_ID
} from '../commands';
import { mailIcon } from '../icons';
import { isChunkLoadError } from '../common/chunk-error';
import { notifyLoadFailure } from '../common/load-failure';
import type { InboxWidget } from '../inbox/open';
import { IVCEConnection, TRANSLATION_DOMAIN } from '../tokens';

/**
 * The Inbox: the platform's mails to the primary researcher, in the main area,
 * each rendered as it reads (its result link downloads the zip). Opened from
 * the palette, the shield panel's toolbar and a job's detail (*Open mail*).
 * Its model and view load the first time it opens.
 */
export const inboxPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-vce:inbox',
  description:
    "The Inbox: the platform's mails to the primary researcher, rendered.",
  autoStart: true,
  requires: [IVCEConnection],
  optional: [ICommandPalette, ITranslator, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    connection: IVCEConnection,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const { commands } = app;
    const tracker = new WidgetTracker<InboxWidget>({
      namespace: 'jupyterlab-vce-inbox'
    });
    let inbox: InboxWidget | null = null;
    // One creation at a time: a restore and a click together make one Inbox, not two.
    let creating: Promise<InboxWidget> | null = null;
    const inboxWidget = (): Promise<InboxWidget> => {
      if (inbox && !inbox.isDisposed) {
        return Promise.resolve(inbox);
      }
      creating ??= import('../inbox/open')
        .then(({ createInbox }) => {
          inbox = createInbox({
            api: connection.client,
            events: connection.events,
            trans,
            actions: {
              openJob: id =>
                void commands.execute(JobCommandIDs.openJob, { jobId: id }),
              downloadFromJob: id =>
                void commands
                  .execute(JobCommandIDs.openJob, { jobId: id })
                  .then(() =>
                    commands.execute(JobCommandIDs.saveResults, { jobId: id })
                  )
            }
          });
          void tracker.add(inbox);
          return inbox;
        })
        .finally(() => {
          creating = null;
        });
      return creating;
    };

    const open = async (jobId: string | null): Promise<InboxWidget> => {
      const inbox = await inboxWidget();
      if (jobId) {
        inbox.model.select(jobId);
      }
      if (!inbox.isAttached) {
        app.shell.add(inbox, 'main');
      }
      app.shell.activateById(inbox.id);
      await inbox.model.refresh();
      return inbox;
    };

    commands.addCommand(InboxCommandIDs.open, {
      label: args =>
        typeof args.jobId === 'string'
          ? trans.__('Open Mail of Job %1', args.jobId)
          : trans.__('Open Inbox'),
      caption: trans.__(
        "The platform's mails to the primary researcher, with their download links"
      ),
      icon: args => (args.toolbar ? mailIcon : undefined),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            jobId: {
              type: 'string',
              description: 'Select the mail of this job (e.g. job_2026…)'
            },
            toolbar: {
              type: 'boolean',
              description: "Shown in the shield panel's toolbar (with the icon)"
            }
          }
        }
      },
      execute: async args => {
        try {
          await open(typeof args.jobId === 'string' ? args.jobId : null);
        } catch (error) {
          if (!isChunkLoadError(error)) {
            throw error;
          }
          notifyLoadFailure(trans, trans.__('the Inbox'), error);
        }
      }
    });
    palette?.addItem({
      command: InboxCommandIDs.open,
      category: PALETTE_CATEGORY
    });
    restorer
      ?.restore(tracker, {
        command: InboxCommandIDs.open,
        name: () => 'inbox'
      })
      .catch(() => undefined);

    // The shield panel's toolbar opens it too (the panel is the jobs plugin's).
    void app.restored.then(() => {
      for (const widget of app.shell.widgets('right')) {
        if (widget.id === SHIELD_PANEL_ID) {
          (widget as SidePanel).toolbar.addItem(
            'vce-inbox',
            new CommandToolbarButton({
              commands,
              id: InboxCommandIDs.open,
              args: { toolbar: true },
              label: trans.__('Inbox')
            })
          );
        }
      }
    });
  }
};
