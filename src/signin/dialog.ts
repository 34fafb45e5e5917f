import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ICredentials, ILocalClientSecret } from '../api/types';
import type { PlatformStatusModel } from '../status/model';
import { SignInBody } from './SignInBody';

/** Why typed credentials cannot be sent yet, or null when they can. */
export function credentialsProblem(
  values: ICredentials,
  trans: TranslationBundle
): string | null {
  if (!values.client_key && !values.client_secret) {
    return trans.__('Enter your client key and client secret.');
  }
  if (!values.client_key) {
    return trans.__('Enter your client key.');
  }
  if (!values.client_secret) {
    return trans.__('Enter your client secret.');
  }
  return null;
}

/**
 * Ask for the client key and secret until the platform accepts them or the
 * researcher cancels. A refusal re-opens the dialog with the reason and
 * what was typed, so nothing is lost. Resolves true once signed in. With the
 * embedded platform the dialog names its local client and fills it in on request.
 */
export async function signInWithDialog(
  model: PlatformStatusModel,
  trans: TranslationBundle,
  revealLocalSecret?: () => Promise<ILocalClientSecret>
): Promise<boolean> {
  let values: ICredentials = { client_key: '', client_secret: '' };
  let error: string | null = null;
  for (;;) {
    const result = await showDialog<ICredentials>({
      title: trans.__('Sign in to the Virtual Compute Environment'),
      body: new SignInBody({
        initial: values,
        error,
        trans,
        // The embedded platform: say where its client is, and fill it in on request.
        local:
          revealLocalSecret && model.status?.local_client
            ? { ...model.status.local_client, reveal: revealLocalSecret }
            : undefined
      }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Sign in') })
      ],
      focusNodeSelector: '#jp-vce-client-key'
    });
    if (!result.button.accept || result.value === null) {
      return false;
    }
    values = result.value;
    error = credentialsProblem(values, trans);
    if (error) {
      continue;
    }
    try {
      const status = await model.signIn(values);
      Notification.success(
        trans.__(
          'Signed in to the Virtual Compute Environment as %1.',
          status.identity?.client_key ?? values.client_key
        ),
        { autoClose: 4000 }
      );
      return true;
    } catch (reason) {
      error = reason instanceof Error ? reason.message : String(reason);
    }
  }
}
