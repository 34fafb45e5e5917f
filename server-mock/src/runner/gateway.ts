import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { newLogId } from '../errors';

/**
 * A job's only way to the data: an HTTP server on a Unix socket in the job's
 * folder that forwards `POST /v2/vce/query/` with the job's own token to the
 * platform (in process) and refuses everything else. The sandbox has no
 * network, so this socket is all a job can reach.
 */

export const GATEWAY_PATH = '/v2/vce/query/';
/** The SDK's task routes (vce-sdk.md: create, status, result pages, cancel) are data routes too. */
const TASKS_PREFIX = '/v2/vce/query_tasks/';
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

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message, log_id: newLogId() } });
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
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

export class DataGateway {
  private constructor(private readonly server: Server, private readonly socketPath: string) {}

  static async open(options: GatewayOptions): Promise<DataGateway> {
    rmSync(options.socketPath, { force: true });
    const server = createServer((request, response) => {
      void DataGateway.handle(options, request, response).catch(() => {
        if (!response.headersSent) {
          refuse(response, 502, 'gateway_error', 'The data gateway could not reach the platform; the job may retry.');
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

  private static async handle(options: GatewayOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '';
    const path = url.split('?')[0].replace(/\/*$/, '/');
    const isQuery = request.method === 'POST' && path === GATEWAY_PATH;
    const isTask = (request.method === 'POST' || request.method === 'GET') && path.startsWith(TASKS_PREFIX) && !path.includes('..');
    if (!isQuery && !isTask) {
      refuse(response, 403, 'forbidden', `A job can only read data (POST ${GATEWAY_PATH} or the query task routes); ${request.method} ${path} is not reachable from a job.`);
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match || match[1] !== options.accessToken) {
      refuse(response, 401, 'access_token_invalid', "Only this job's access token (RQS_ACCESS_TOKEN) is accepted here.");
      return;
    }
    const body = await readBody(request);
    if (body === null) {
      refuse(response, 413, 'payload_too_large', `A query body is at most ${MAX_BODY} bytes.`);
      return;
    }
    const answer = await options.app.inject({
      method: request.method as 'GET' | 'POST',
      url,
      headers: {
        authorization: request.headers.authorization!,
        ...(body.length > 0 ? { 'content-type': request.headers['content-type'] ?? 'application/json' } : {})
      },
      payload: body.length > 0 ? body : undefined
    });
    if (answer.statusCode === 200 && (isQuery || path.endsWith('/result/'))) {
      const counted = Number(answer.headers['x-vce-record-count']);
      options.onRecords(Number.isFinite(counted) ? counted : ((answer.json() as { data?: { count?: number } }).data?.count ?? 0));
    }
    response.writeHead(answer.statusCode, {
      'content-type': String(answer.headers['content-type'] ?? 'application/json'),
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
