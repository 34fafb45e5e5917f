import { ServerConnection } from '@jupyterlab/services';
import { requestAPI } from './request';
import type { ICredentials, IVCEStatus } from './types';

/**
 * One typed client for the jupyterlab_vce server extension: a method per
 * route. The browser never sees the client secret after sign-in and never
 * talks to the platform directly.
 */
export class VCEClient {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  /** Connection, sign-in state, identity and quota in one call. */
  getStatus(): Promise<IVCEStatus> {
    return requestAPI<IVCEStatus>('status', {}, this._settings);
  }

  /** Give the server the credentials once; it verifies them with the platform. */
  signIn(credentials: ICredentials): Promise<IVCEStatus> {
    return requestAPI<IVCEStatus>(
      'session',
      { method: 'POST', body: JSON.stringify(credentials) },
      this._settings
    );
  }

  /** Make the server forget the credentials and the token. */
  signOut(): Promise<IVCEStatus> {
    return requestAPI<IVCEStatus>(
      'session',
      { method: 'DELETE' },
      this._settings
    );
  }
}
