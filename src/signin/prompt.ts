import type { PlatformStatusModel } from '../status/model';

/** Run `prompt` the first time the server turns out to hold no credentials. */
export function promptOnceWhenSignedOut(
  status: PlatformStatusModel,
  prompt: () => Promise<unknown>
): void {
  const onChange = () => {
    const phase = status.phase;
    if (phase === 'loading' || phase === 'unavailable') {
      return;
    }
    status.changed.disconnect(onChange);
    if (phase === 'signed-out') {
      void prompt();
    }
  };
  status.changed.connect(onChange);
}
