import { Token } from '@lumino/coreutils';
import type { VCEClient } from './api/client';
import type { IPlatformEvents } from './events/shared';
import type { PlatformStatusModel } from './status/model';

/** The translation domain of this extension. */
export { TRANSLATION_DOMAIN } from './common/translate';

/** What the core plugin provides to the others: the API client and the connection model. */
export interface IVCEConnection {
  readonly client: VCEClient;
  readonly status: PlatformStatusModel;
  /** The platform's job and quota events, live (one stream shared by the lab's tabs). */
  readonly events: IPlatformEvents;
}

export const IVCEConnection = new Token<IVCEConnection>(
  'jupyterlab-vce:IVCEConnection',
  'The Virtual Compute Environment client and connection status.'
);
