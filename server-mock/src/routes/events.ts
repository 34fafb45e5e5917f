import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import type { DeliveredEvent } from '../events';
import { quotaView, utcDay } from '../quota';

export const EVENTS_PATH = '/v2/vce/events/';
/** A comment line this often keeps proxies from closing an idle stream (ms). */
export const HEARTBEAT_MS = 15_000;

function frame(delivered: DeliveredEvent): string {
  return `id: ${delivered.id}\nevent: ${delivered.event.type}\ndata: ${JSON.stringify(delivered.event)}\n\n`;
}

/**
 * `GET /v2/vce/events/`: server-sent events of the client's job status and
 * quota changes. Starts with the current quota; a reconnect with
 * Last-Event-ID gets what it missed (from a bounded backlog).
 */
export function registerEventRoutes(
  app: FastifyInstance,
  context: PlatformContext
): void {
  // Streams never end by themselves: end them before the server waits for its connections.
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...openStreams]) {
      close();
    }
  });
  app.get(EVENTS_PATH, async (request, reply) => {
    const clientKey = request.clientKey;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no'
    });
    const now = context.now();
    const quota = quotaView(
      context.store.usedOn(clientKey, utcDay(now)),
      context.dailyLimit,
      now
    );
    raw.write(`retry: 2000\n: vce events for ${clientKey}\n\n`);
    raw.write(
      `event: quota\ndata: ${JSON.stringify({ type: 'quota', ...quota })}\n\n`
    );
    const lastId = Number(request.headers['last-event-id']);
    if (Number.isInteger(lastId) && lastId > 0) {
      for (const missed of context.events.since(clientKey, lastId)) {
        raw.write(frame(missed));
      }
    }
    const unsubscribe = context.events.subscribe(clientKey, delivered =>
      raw.write(frame(delivered))
    );
    const heartbeat = setInterval(
      () => raw.write(': keep-alive\n\n'),
      HEARTBEAT_MS
    );
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      openStreams.delete(close);
    };
    const close = () => {
      end();
      raw.end();
    };
    openStreams.add(close);
    raw.on('close', end);
  });
}
