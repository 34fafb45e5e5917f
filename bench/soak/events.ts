/**
 * A researcher's open browser tab: the event stream through the server
 * extension (`GET /vce/api/events`), held for the whole soak. Its time to the
 * answer's headers is recorded as the route's latency; every `event:` line is
 * counted; a stream that ends or breaks before the soak stops is an error,
 * and is opened again after 2 s with `Last-Event-ID`, as the panel does.
 */
import { classifyAnswer, classifyFailure } from './classify';
import { sleep, type Api } from './http';
import type { Stats } from './stats';

const REOPEN_MS = 2000;
const HEADERS_TIMEOUT_MS = 60_000;

/** Lines of a server-sent event stream's chunks (a line may span chunks). */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const lines = (this.rest + chunk).split(/\r\n|\r|\n/);
    this.rest = lines.pop() ?? '';
    return lines;
  }
}

export async function holdEventStream(
  api: Api,
  stats: Stats,
  stop: AbortSignal
): Promise<void> {
  const route = api.routeName('GET', '/vce/api/events (to headers)');
  const where = api.routeName('GET', '/vce/api/events');
  let lastEventId: string | undefined;
  while (!stop.aborted) {
    const started = performance.now();
    const headersDeadline = AbortSignal.timeout(HEADERS_TIMEOUT_MS);
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stop.addEventListener('abort', onStop, { once: true });
    const onLate = () => abort.abort();
    headersDeadline.addEventListener('abort', onLate, { once: true });
    try {
      const response = await fetch(api.url('/vce/api/events'), {
        headers: {
          authorization: api.door.authorization() ?? '',
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {})
        },
        signal: abort.signal
      });
      headersDeadline.removeEventListener('abort', onLate);
      if (!response.ok) {
        const body = await response.text();
        stats.request(
          route,
          performance.now() - started,
          classifyAnswer(response.status, body)
        );
      } else {
        stats.request(route, performance.now() - started, { kind: 'ok' });
        stats.count('event streams opened');
        const decoder = new TextDecoder();
        const lines = new LineSplitter();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          for (const line of lines.push(
            decoder.decode(chunk, { stream: true })
          )) {
            if (line.startsWith('event:')) {
              stats.count('events received');
            } else if (line.startsWith('id:')) {
              lastEventId = line.slice(3).trim();
            }
          }
        }
        if (!stop.aborted) {
          stats.outcome(where, { kind: 'error', name: 'stream ended early' });
        }
      }
    } catch (error) {
      if (stop.aborted) {
        break;
      }
      const outcome = headersDeadline.aborted
        ? { kind: 'error' as const, name: 'no headers in time' }
        : classifyFailure(error);
      stats.outcome(where, outcome);
    } finally {
      stop.removeEventListener('abort', onStop);
      headersDeadline.removeEventListener('abort', onLate);
    }
    await sleep(REOPEN_MS, stop);
  }
}
