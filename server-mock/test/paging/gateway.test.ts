import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as source from '../../src/query/page-source';
import { pageQuery } from '../../src/query/paging';
import { validateQuery } from '../../src/query/validate';
import { DataGateway } from '../../src/runner/gateway';
import { ALICE, fixtureData, makePlatform } from '../helpers/helpers';
import { addVideos, settled, watchSources } from './stream-helpers';

/**
 * The job's data gateway streams pages through (no page held whole), counts
 * every page from its trailer, counts a page the job walked away from, and
 * keeps its exact routes, token check and body limit.
 */

function send(
  socketPath: string,
  token: string,
  body: string,
  path = '/v2/vce/query/',
  method = 'POST'
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        socketPath,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json'
        }
      },
      resolve
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** The status line answered to a body of `bytes` (raw: the refused body's rest may fail to send). */
function rawStatus(
  socketPath: string,
  token: string,
  bytes: number,
  method = 'POST',
  path = '/v2/vce/query/'
): Promise<string> {
  return new Promise(resolve => {
    const socket = connect(socketPath);
    const received: Buffer[] = [];
    socket.on('data', chunk => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () =>
      resolve(Buffer.concat(received).toString('latin1').split('\r\n')[0])
    );
    socket.write(
      `${method} ${path} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${token}\r\n` +
        `content-type: application/json\r\ncontent-length: ${bytes}\r\nconnection: close\r\n\r\n`
    );
    socket.end(Buffer.alloc(bytes, 0x20));
  });
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('the data gateway, streamed', () => {
  const data = fixtureData();
  addVideos(data, 20_000, 3000);
  const platform = makePlatform({ publicData: data });
  const dir = mkdtempSync(join(tmpdir(), 'vce-gateway-'));
  const socketPath = join(dir, 'data.sock');
  const counted: number[] = [];
  let gateway: DataGateway;
  let token: string;
  beforeAll(async () => {
    await platform.app.ready();
    token = platform.store.issueJobToken(ALICE.clientKey, platform.clock.now());
    gateway = await DataGateway.open({
      socketPath,
      app: platform.app,
      accessToken: token,
      onRecords: count => counted.push(count)
    });
  });
  afterAll(async () => {
    await gateway.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    counted.length = 0;
  });

  it('pages every match through, the same bytes as the route, each page counted', async () => {
    const body = {
      category: 'video',
      fields: 'id,like_count,hashtag_names',
      limit: 6000
    };
    let cursor: string | null = null;
    const expected: number[] = [];
    do {
      const sent: Record<string, unknown> = cursor ? { ...body, cursor } : body;
      const response = await send(socketPath, token, JSON.stringify(sent));
      const text = await readAll(response);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(
        'application/json; charset=utf-8'
      );
      // Only the type goes to the job, as before: no platform headers, no trailer.
      expect(Object.keys(response.trailers)).toEqual([]);
      const validation = validateQuery(sent, 'job');
      if (!validation.ok) throw new Error('invalid');
      const page = pageQuery(data, validation.query).page!;
      const answer = JSON.parse(text) as {
        data: unknown;
        error: { code: string };
      };
      expect(answer.data).toEqual(JSON.parse(JSON.stringify(page)));
      expect(answer.error.code).toBe('ok');
      expected.push(page.count);
      cursor = page.cursor;
    } while (cursor);
    expect(expected).toEqual([6000, 6000, 6000, 2030]);
    expect(counted).toEqual(expected);
  });

  it('a job that does not read holds the producer back through the gateway', async () => {
    const watch = watchSources(100);
    try {
      const response = await send(
        socketPath,
        token,
        JSON.stringify({
          category: 'video',
          fields: 'id,video_description',
          limit: 100_000
        })
      );
      response.pause();
      const produced = await settled(() => watch.seen.chunks);
      expect(produced).toBeLessThan(100);
      expect(watch.seen.done).toBe(0);
      expect(counted).toEqual([]);
      const page = JSON.parse(await readAll(response)) as {
        data: { count: number };
      };
      expect(page.data.count).toBe(20_030);
      await settled(() => counted.length);
      expect(counted).toEqual([20_030]);
    } finally {
      watch.restore();
    }
  });

  it('a job gone mid-page has the whole page counted (as when pages were buffered)', async () => {
    const response = await send(
      socketPath,
      token,
      JSON.stringify({
        category: 'video',
        fields: 'id,video_description',
        limit: 100_000
      })
    );
    await new Promise<void>(resolve => response.once('data', () => resolve()));
    response.destroy();
    await settled(() => counted.length);
    expect(counted).toEqual([20_030]);
  });

  it('a page the platform cuts short after its first records is counted at its limit', async () => {
    const real = source.openPageSource;
    const spy = jest
      .spyOn(source, 'pageSource')
      .mockImplementation((data, query, afterId, limit) => {
        const opened = real(data, query, afterId, limit, { chunkRecords: 100 });
        let taken = 0;
        return {
          next: async () => {
            if (++taken > 2) throw new Error('a corrupt row');
            return opened.next();
          },
          return: () => opened.return()
        };
      });
    try {
      const response = await send(
        socketPath,
        token,
        JSON.stringify({ category: 'video', fields: 'id', limit: 7000 })
      );
      expect(response.statusCode).toBe(200);
      // The job sees its page end early (an aborted body), never a whole page.
      await expect(readAll(response)).rejects.toThrow();
      await settled(() => counted.length);
      expect(counted).toEqual([7000]);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps its exact routes, the token check and the body limit', async () => {
    const refused = (method: string, path: string, bearer: string, bytes = 2) =>
      rawStatus(socketPath, bearer, bytes, method, path);
    expect(await refused('POST', '/v2/vce/query/', 'someone-else')).toBe(
      'HTTP/1.1 401 Unauthorized'
    );
    expect(await refused('GET', '/v2/vce/quota/', token)).toBe(
      'HTTP/1.1 403 Forbidden'
    );
    expect(await refused('POST', '/v2/vce/query/../quota/', token)).toBe(
      'HTTP/1.1 403 Forbidden'
    );
    expect(await refused('POST', '/v2/vce/query/', token, 300 * 1024)).toBe(
      'HTTP/1.1 413 Payload Too Large'
    );
    const bad = await send(
      socketPath,
      token,
      JSON.stringify({ category: 'video', fields: 'nope' })
    );
    expect(bad.statusCode).toBe(400);
    expect(
      (JSON.parse(await readAll(bad)) as { error: { code: string } }).error.code
    ).toBe('invalid_params');
    expect(counted).toEqual([]);
  });
});
