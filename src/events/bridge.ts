import type { PlatformStatusModel } from '../status/model';
import type { IPlatformEvents } from './shared';
import type { PlatformEvent } from './stream';

/**
 * Keep the connection model live from the event stream: a quota event (a
 * query in any kernel, the builder's preview) shows at once, without fast
 * polling. The stream opens once the server holds credentials and reopens
 * after a new sign-in; a reviewer client's never opens. Returns the function that undoes the wiring.
 */
export function bridgeEventsToStatus(
  events: IPlatformEvents,
  status: PlatformStatusModel
): () => void {
  let signedInAs: string | null = null;
  const onEvent = (_: unknown, event: PlatformEvent) => {
    if (event.type === 'quota') {
      const { type: _type, ...quota } = event;
      status.applyQuota(quota);
    }
  };
  const onStatus = () => {
    const current = status.status;
    const who = current?.signed_in
      ? (current.identity?.client_key ?? '(signed in)')
      : null;
    if (who !== signedInAs) {
      signedInAs = who;
      // A reviewer client has no stream (the platform refuses it: no quota, no jobs of its own).
      if (who !== null && current?.identity?.role !== 'reviewer') {
        events.connect();
      }
    }
  };
  events.received.connect(onEvent);
  status.changed.connect(onStatus);
  onStatus();
  return () => {
    events.received.disconnect(onEvent);
    status.changed.disconnect(onStatus);
  };
}
