/** What the jobs panel's views are given by the plugin. */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { StreamState } from '../../events/stream';
import type { JobActions } from '../actions';

/** What the panel needs beyond the actions: who is signed in, the stream, sign-in. */
export interface IPanelContext {
  actions: JobActions;
  trans: TranslationBundle;
  signIn: () => void;
  streamState: () => StreamState;
}
