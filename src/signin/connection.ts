import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Panel } from '@lumino/widgets';
import type { ILocalClientSecret } from '../api/types';
import { localClientWidget } from './LocalClient';
import { connectionDetailsWidget } from '../status/StatusItem';
import type { PlatformStatusModel } from '../status/model';
import type { SignInMode } from './mode';
import '../../style/dialogs.css';

/** How the connection's dialogs sign in and out, for the lab's sign-in mode. */
export interface IConnectionActions {
  mode: SignInMode;
  /** In-lab: the sign-in dialog. Under a hub: back to the hub's login page. */
  signIn: () => Promise<unknown>;
  /** In-lab: the server forgets the credentials. Under a hub: the hub's logout. */
  signOut: () => Promise<unknown>;
  /** The embedded stand-in's secret, on request (`GET /vce/api/local-client/secret`). */
  revealLocalSecret?: () => Promise<ILocalClientSecret>;
}

/**
 * The connection's details (who, quota) with a sign-out button, on fresh
 * figures; asks to sign in instead when there is no accepted sign-in.
 *
 * Under a hub the lab's credentials are the ones the researcher typed on the
 * hub's login page: a refused secret (revoked or replaced) is said in a
 * dialog whose "Sign in again" goes back to that page, never to the in-lab
 * dialog. Only a lab the hub gave no credentials at all (a hub that does not
 * use the VCE authenticator) falls back to the in-lab dialog: nothing else
 * could sign it in.
 */
export async function showConnection(
  status: PlatformStatusModel,
  trans: TranslationBundle,
  actions: IConnectionActions
): Promise<unknown> {
  // Fresh figures first: the records used may have moved since the last poll.
  await status.refresh();
  const phase = status.phase;
  if (phase === 'rejected' && actions.mode === 'hub') {
    return showRejectedUnderHub(status, trans, actions.signIn);
  }
  if (phase === 'signed-out' || phase === 'rejected') {
    return actions.signIn();
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
  if (
    phase === 'unreachable' ||
    phase === 'unavailable' ||
    phase === 'starting'
  ) {
    return; // the click was the retry (the refresh above); the tooltip says when the next one is
  }
  const result = await showDialog({
    title: trans.__('Virtual Compute Environment'),
    body: detailsBody(status, trans, actions),
    buttons: [
      Dialog.warnButton({
        label: trans.__('Sign out'),
        ariaLabel:
          actions.mode === 'hub'
            ? trans.__('Sign out of the hub')
            : trans.__('Sign out')
      }),
      Dialog.okButton({ label: trans.__('Close') })
    ],
    defaultButton: 1
  });
  if (result.button.displayType === 'warn') {
    await actions.signOut();
  }
}

/**
 * Who and how much quota; with the embedded platform, also its client key and
 * its secret on request.
 */
function detailsBody(
  status: PlatformStatusModel,
  trans: TranslationBundle,
  actions: IConnectionActions
): Panel {
  const body = new Panel();
  body.addClass('jp-vce-ConnectionBody');
  body.addWidget(connectionDetailsWidget(status, trans));
  const local = status.status?.local_client;
  if (local && actions.revealLocalSecret) {
    body.addWidget(
      localClientWidget({ local, reveal: actions.revealLocalSecret, trans })
    );
  }
  return body;
}

/** Under a hub, the platform refused the secret the hub gave this lab: back to the login page. */
async function showRejectedUnderHub(
  status: PlatformStatusModel,
  trans: TranslationBundle,
  signInAgain: () => Promise<unknown>
): Promise<unknown> {
  const result = await showDialog({
    title: trans.__('The client secret was not accepted'),
    body:
      status.status?.platform.message ??
      trans.__(
        'The platform no longer accepts the client secret you signed in with. Sign in again with your client key and current secret.'
      ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Close') }),
      Dialog.okButton({
        label: trans.__('Sign in again'),
        ariaLabel: trans.__('Sign in again on the login page')
      })
    ],
    defaultButton: 1
  });
  if (result.button.accept) {
    await signInAgain();
  }
  return result;
}

export { promptOnceWhenSignedOut } from './prompt';
