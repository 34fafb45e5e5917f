/** What the jobs panel's views are given by the plugin. */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { StreamState } from '../../events/stream';
import type { DataCleanRoom } from '../actions';

/** What the panel needs beyond the actions: who is signed in, the stream, sign-in. */
export interface IPanelContext {
  actions: DataCleanRoom;
  trans: TranslationBundle;
  signIn: () => void;
  streamState: () => StreamState;
}
