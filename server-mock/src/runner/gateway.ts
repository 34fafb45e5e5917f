import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http';
import { Duplex } from 'node:stream';
import { chmodSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { newLogId } from '../http/errors';
import { QUERY_LIMITS } from '../query/catalogue';
import { RECORD_COUNT_HEADER } from '../query/paging';

/**
 * A job's only way to the data: an HTTP server on a Unix socket in the job's
 * folder that forwards `POST /v2/vce/query/` with the job's own token to the
 * platform (in process) and refuses everything else. The sandbox has no
 * network, so this socket is all a job can reach.
 */

export const GATEWAY_PATH = '/v2/vce/query/';
/** Largest query body a job may send (bytes). */
const MAX_BODY = 256 * 1024;

export interface GatewayOptions {
  socketPath: string;
  app: FastifyInstance;
  /** The job's token: any other bearer is refused. */
  accessToken: string;
  /** Called with the number of records each answered page carried. */
  onRecords: (count: number) => void;
}

function refuse(
  response: ServerResponse,
  status: number,
  code: string,
  message: string
): void {
  const body = JSON.stringify({ error: { code, message, log_id: newLogId() } });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body)
  });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * What a page cut short is counted as: its limit (the most it could have
 * delivered), or the largest page when the body names none it could be. The
 * job may have read part of it, and the review must never see fewer records
 * read than the job holds (the row-dump rule), so the count errs high.
 */
export function cutShortCount(body: Buffer): number {
  try {
    const limit = (JSON.parse(body.toString('utf8')) as { limit?: unknown })
      .limit;
    if (typeof limit === 'number' && Number.isInteger(limit) && limit > 0) {
      return Math.min(limit, QUERY_LIMITS.job.maxLimit);
    }
  } catch {
    // not JSON: the platform would have refused it before any record
  }
  return QUERY_LIMITS.job.maxLimit;
}

const TASK_ID = '[A-Za-z0-9_-]{1,64}';
/** The only routes a job reaches: the query and the SDK's query task routes (docs/research/vce-sdk.md), exactly. */
const ALLOWED_ROUTES: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/v2\/vce\/query\/$/ },
  { method: 'POST', path: /^\/v2\/vce\/query_tasks\/$/ },
  { method: 'GET', path: new RegExp(`^/v2/vce/query_tasks/${TASK_ID}/$`) },
  {
    method: 'GET',
    path: new RegExp(`^/v2/vce/query_tasks/${TASK_ID}/result/$`)
  },
  {
    method: 'POST',
    path: new RegExp(`^/v2/vce/query_tasks/${TASK_ID}/cancel/$`)
  }
];

export function allowedRoute(method: string, path: string): boolean {
  return ALLOWED_ROUTES.some(
    route => route.method === method && route.path.test(path)
  );
}

/** One end of an in-memory connection: what it writes, its peer reads (with backpressure). */
class ConnectionEnd extends Duplex {
  peer: ConnectionEnd | null = null;
  private wantsRead: (() => void) | null = null;

  _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void
  ): void {
    const peer = this.peer!;
    if (peer.destroyed) {
      callback(new Error('connection closed'));
    } else if (peer.push(chunk)) {
      callback();
    } else {
      peer.wantsRead = () => callback();
    }
  }

  _read(): void {
    const resume = this.wantsRead;
    this.wantsRead = null;
    resume?.();
  }

  _final(callback: (error?: Error | null) => void): void {
    this.peer!.push(null);
    callback();
  }

  _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void
  ): void {
    const peer = this.peer;
    if (peer && !peer.destroyed) {
      peer.destroy();
    }
    callback(error);
  }
}

function connectionPair(): [ConnectionEnd, ConnectionEnd] {
  const a = new ConnectionEnd();
  const b = new ConnectionEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * The request, forwarded to the platform's own HTTP server over an in-memory
 * connection (nothing listens anywhere a job could reach): the answer streams
 * back with backpressure, trailers included, instead of being buffered whole.
 * Only the token and the body's type go up, as before.
 */
function forward(
  app: FastifyInstance,
  request: IncomingMessage,
  url: string,
  body: Buffer
): Promise<IncomingMessage> {
  const [client, server] = connectionPair();
  app.server.emit('connection', server);
  return new Promise<IncomingMessage>((resolve, reject) => {
    const upstream = httpRequest(
      {
        createConnection: () => client,
        method: request.method,
        path: url,
        headers: {
          authorization: request.headers.authorization!,
          ...(body.length > 0
            ? {
                'content-type':
                  request.headers['content-type'] ?? 'application/json',
                'content-length': body.length
              }
            : {})
        }
      },
      resolve
    );
    upstream.once('error', reject);
    upstream.end(body.length > 0 ? body : undefined);
  });
}

export class DataGateway {
  private constructor(
    private readonly server: Server,
    private readonly socketPath: string
  ) {}

  static async open(options: GatewayOptions): Promise<DataGateway> {
    rmSync(options.socketPath, { force: true });
    const server = createServer((request, response) => {
      void DataGateway.handle(options, request, response).catch(() => {
        if (!response.headersSent) {
          refuse(
            response,
            502,
            'gateway_error',
            'The data gateway could not reach the platform; the job may retry.'
          );
        } else {
          response.destroy();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.socketPath, () => resolve());
    });
    // The job runs under its own uid: it must be able to connect.
    chmodSync(options.socketPath, 0o666);
    return new DataGateway(server, options.socketPath);
  }

  private static async handle(
    options: GatewayOptions,
    request: IncomingMessage,
    response: ServerResponse
  ): Promise<void> {
    const url = request.url ?? '';
    const path = url.split('?')[0];
    // Exact routes on the raw path: no percent-encoding, no dot segments, nothing the router would read differently.
    if (
      !allowedRoute(request.method ?? '', path) ||
      !/^[\w=&.-]*$/.test(url.slice(path.length + 1))
    ) {
      refuse(
        response,
        403,
        'forbidden',
        `A job can only read data (POST ${GATEWAY_PATH} or the query task routes); ${request.method} ${path} is not reachable from a job.`
      );
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(
      request.headers.authorization ?? ''
    );
    if (!match || match[1] !== options.accessToken) {
      refuse(
        response,
        401,
        'access_token_invalid',
        "Only this job's access token (RQS_ACCESS_TOKEN) is accepted here."
      );
      return;
    }
    const body = await readBody(request);
    if (body === null) {
      refuse(
        response,
        413,
        'payload_too_large',
        `A query body is at most ${MAX_BODY} bytes.`
      );
      return;
    }
    const upstream = await forward(options.app, request, url, body);
    // Every data answer is counted (the review compares outputs with what was read):
    // a buffered answer says its count in a header, a streamed page in its trailer.
    const status = upstream.statusCode ?? 502;
    let countedAlready = false;
    const count = (value: string | string[] | undefined) => {
      const counted = Number(value);
      if (status === 200 && Number.isFinite(counted) && counted > 0) {
        countedAlready = true;
        options.onRecords(counted);
      }
    };
    const headerCount = upstream.headers[RECORD_COUNT_HEADER];
    if (headerCount !== undefined) {
      count(headerCount);
    }
    const length = upstream.headers['content-length'];
    response.writeHead(status, {
      'content-type': String(
        upstream.headers['content-type'] ?? 'application/json'
      ),
      ...(length !== undefined ? { 'content-length': length } : {})
    });
    await new Promise<void>((resolve, reject) => {
      upstream.once('end', () => {
        if (headerCount === undefined) {
          count(upstream.trailers[RECORD_COUNT_HEADER]);
        }
        resolve();
      });
      // A page the platform cut short (a failure after its first records): counted in full.
      const cutShort = (error: Error) => {
        if (status === 200 && headerCount === undefined && !countedAlready) {
          countedAlready = true;
          options.onRecords(cutShortCount(body));
        }
        reject(error);
      };
      upstream.once('error', cutShort);
      upstream.once('aborted', () => cutShort(new Error('platform aborted')));
      // A job gone mid-page: the page is read to its end anyway (and counted, as a
      // buffered answer was), so a disconnect never reads records uncounted.
      response.once('close', () => {
        if (!upstream.complete) {
          upstream.unpipe(response);
          upstream.resume();
        }
      });
      upstream.pipe(response);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    rmSync(this.socketPath, { force: true });
  }
}
