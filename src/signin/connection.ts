import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { connectionDetailsWidget } from '../status/StatusItem';
import type { PlatformStatusModel } from '../status/model';

/**
 * The connection's details (who, quota) with a sign-out button, on fresh
 * figures; asks to sign in instead when there is no accepted sign-in.
 */
export async function showConnection(
  status: PlatformStatusModel,
  trans: TranslationBundle,
  signIn: () => Promise<unknown>
): Promise<unknown> {
  // Fresh figures first: the records used may have moved since the last poll.
  await status.refresh();
  const phase = status.phase;
  if (phase === 'signed-out' || phase === 'rejected') {
    return signIn();
  }
  if (phase === 'not-configured') {
    // Nothing to retry: say the two ways out (install the stand-in, or name a platform).
    return showDialog({
      title: trans.__('No platform is configured'),
      body:
        status.status?.platform.message ??
        trans.__('No platform is configured.'),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
  }
  if (phase === 'unreachable' || phase === 'unavailable') {
    return; // the click was the retry (the refresh above); the tooltip says when the next one is
  }
  const result = await showDialog({
    title: trans.__('Virtual Compute Environment'),
    body: connectionDetailsWidget(status, trans),
    buttons: [
      Dialog.warnButton({
        label: trans.__('Sign out'),
        ariaLabel: trans.__('Sign out')
      }),
      Dialog.okButton({ label: trans.__('Close') })
    ],
    defaultButton: 1
  });
  if (result.button.displayType === 'warn') {
    await status.signOut();
  }
}

/** Run `prompt` the first time the server turns out to hold no credentials. */
export function promptOnceWhenSignedOut(
  status: PlatformStatusModel,
  prompt: () => Promise<unknown>
): void {
  const onChange = () => {
    const phase = status.phase;
    if (phase === 'loading' || phase === 'unavailable') {
      return;
    }
    status.changed.disconnect(onChange);
    if (phase === 'signed-out') {
      void prompt();
    }
  };
  status.changed.connect(onChange);
}
