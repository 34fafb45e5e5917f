/**
 * A view or dialog that loads on first use could not be loaded: say so in a
 * notification (the next use tries again: `loadOnce` and `import()` keep no
 * failure), instead of nothing happening.
 */
import { Notification } from '@jupyterlab/apputils';
import { loadErrorMessage } from './chunk-error';
import type { Translate } from './translate';

/** Notify that `part` (e.g. "the Inbox") could not be opened; logs the error. */
export function notifyLoadFailure(
  trans: Translate,
  part: string,
  error: unknown
): void {
  console.error(`jupyterlab-vce: ${part} could not be loaded`, error);
  Notification.error(
    trans.__(
      '%1 could not be opened. %2',
      capitalise(part),
      loadErrorMessage(trans, part, error)
    ),
    { autoClose: false }
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
