import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { newLogId } from '../http/errors';
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
    const answer = await options.app.inject({
      method: request.method as 'GET' | 'POST',
      url,
      headers: {
        authorization: request.headers.authorization!,
        ...(body.length > 0
          ? {
              'content-type':
                request.headers['content-type'] ?? 'application/json'
            }
          : {})
      },
      payload: body.length > 0 ? body : undefined
    });
    // Every data answer is counted (the review compares outputs with what was read).
    const counted = Number(answer.headers[RECORD_COUNT_HEADER]);
    if (answer.statusCode === 200 && Number.isFinite(counted) && counted > 0) {
      options.onRecords(counted);
    }
    response.writeHead(answer.statusCode, {
      'content-type': String(
        answer.headers['content-type'] ?? 'application/json'
      ),
      'content-length': answer.rawPayload.length
    });
    response.end(answer.rawPayload);
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    rmSync(this.socketPath, { force: true });
  }
}
