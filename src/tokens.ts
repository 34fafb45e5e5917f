import { Token } from '@lumino/coreutils';
import type { VCEClient } from './api/client';
import type { PlatformEventStream } from './events/stream';
import type { PlatformStatusModel } from './status/model';

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
