import { Token } from '@lumino/coreutils';
import type { VCEClient } from './api/client';
import type { PlatformEventStream } from './events/stream';
import type { PlatformStatusModel } from './status/model';

/** Command ids, in one place. */
export namespace CommandIDs {
  export const signIn = 'vce:sign-in';
  export const signOut = 'vce:sign-out';
  export const showConnection = 'vce:show-connection';
  export const refreshStatus = 'vce:refresh-status';
  export const openShield = 'vce:open-data-clean-room';
  export const openQueryBuilder = 'vce:open-query-builder';
}

/** The palette category of every VCE command. */
export const PALETTE_CATEGORY = 'Virtual Compute Environment';

/** The translation domain of this extension. */
export const TRANSLATION_DOMAIN = 'jupyterlab_vce';

/** What the core plugin provides to the others: the API client and the connection model. */
export interface IVCEConnection {
  readonly client: VCEClient;
  readonly status: PlatformStatusModel;
  /** The platform's job and quota events, live. */
  readonly events: PlatformEventStream;
}

export const IVCEConnection = new Token<IVCEConnection>(
  'jupyterlab-vce:IVCEConnection',
  'The Virtual Compute Environment client and connection status.'
);
