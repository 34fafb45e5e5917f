import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublicData } from '../../src/data/schema';
import { validateQuery } from '../../src/query/validate';
import { ok } from '../../src/http/reply';
import { pageQuery } from '../../src/query/paging';
import { ALICE, bearer, fixtureData, makePlatform } from '../helpers/helpers';
import { addVideos, settled, watchSources } from './stream-helpers';

/**
 * The job route streams its page: the body equals what the route answered
 * before (byte for byte), the count comes in the trailer, a client that does
 * not read holds the producer back, and a client gone mid-page stops it.
 */

function post(
  port: number,
  token: string,
  body: unknown
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v2/vce/query/',
        headers: { ...bearer(token), 'content-type': 'application/json' }
      },
      resolve
    );
    outgoing.once('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A platform on loopback with `data`, and a job token for it (set in beforeAll). */
function listening(data: PublicData, queryWorkers = 0) {
  const platform = makePlatform({ publicData: data, queryWorkers });
  const at = { port: 0, token: '' };
  beforeAll(async () => {
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    at.port = (platform.app.server.address() as AddressInfo).port;
    at.token = platform.store.issueJobToken(
      ALICE.clientKey,
      platform.clock.now()
    );
  });
  afterAll(() => platform.close());
  return at;
}

/** Pages `body` to its end: each answer is the buffered route's byte for byte, its count in the trailer. */
async function expectPagesAsBuffered(
  at: { port: number; token: string },
  data: PublicData,
  body: Record<string, unknown>
): Promise<number> {
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sent: Record<string, unknown> = cursor ? { ...body, cursor } : body;
    const response = await post(at.port, at.token, sent);
    const text = await readAll(response);
    if (response.statusCode !== 200) throw new Error(text);
    expect(response.headers['content-type']).toBe(
      'application/json; charset=utf-8'
    );
    const logId = (JSON.parse(text) as { error: { log_id: string } }).error
      .log_id;
    const validation = validateQuery(sent, 'job');
    if (!validation.ok) throw new Error('invalid');
    const before = pageQuery(data, validation.query);
    expect(text).toBe(JSON.stringify(ok(before.page, logId)));
    expect(response.trailers['x-vce-record-count']).toBe(
      String(before.page!.count)
    );
    cursor = before.page!.cursor;
    pages++;
  } while (cursor);
  return pages;
}

describe('the job route, streamed', () => {
  const data = fixtureData();
  addVideos(data, 20_000, 3000);
  const at = listening(data);

  it('answers byte for byte what the buffered route answered, the count in the trailer', async () => {
    for (const body of [
      {
        category: 'video',
        fields: 'id,hashtag_names,is_stem_verified,playlist_id',
        limit: 4999
      },
      { category: 'comment', fields: 'text,id', limit: 100_000 },
      { category: 'user', fields: 'username,is_verified', limit: 2 }
    ]) {
      await expectPagesAsBuffered(at, data, body);
    }
  });

  it('a client that does not read holds the producer back; reading on gets the whole page', async () => {
    const watch = watchSources(100);
    try {
      const body = {
        category: 'video',
        fields: 'id,video_description',
        limit: 100_000
      };
      const response = await post(at.port, at.token, body);
      response.pause();
      // 20,030 records of ~3 KB: 201 chunks of ~300 KB (60 MB). Unread, the route stops once the socket buffers are full.
      const produced = await settled(() => watch.seen.chunks);
      expect(produced).toBeLessThan(100);
      expect(watch.seen.done).toBe(0);
      const text = await readAll(response);
      const page = JSON.parse(text) as {
        data: { count: number; records: { id: number }[] };
      };
      expect(page.data.count).toBe(20_030);
      expect(page.data.records).toHaveLength(20_030);
      expect(watch.seen.chunks).toBe(201);
      expect(watch.seen.done).toBe(1);
    } finally {
      watch.restore();
    }
  });

  it.each([['keyset'], ['rows']] as const)(
    'a client gone mid-page stops the page (%s way) and frees its statement',
    async way => {
      const watch = watchSources(100, way);
      try {
        const body = {
          category: 'video',
          fields: 'id,video_description',
          limit: 100_000
        };
        const response = await post(at.port, at.token, body);
        await new Promise<void>(resolve =>
          response.once('data', () => resolve())
        );
        response.destroy();
        await settled(() => watch.seen.returned);
        expect(watch.seen.returned).toBe(1);
        expect(watch.seen.done).toBe(0);
        const produced = watch.seen.chunks;
        expect(produced).toBeLessThan(201);
        expect(await settled(() => watch.seen.chunks)).toBe(produced);
        // The same page again, in full: nothing was left busy.
        const again = await post(at.port, at.token, body);
        expect(
          (JSON.parse(await readAll(again)) as { data: { count: number } }).data
            .count
        ).toBe(20_030);
      } finally {
        watch.restore();
      }
    }
  );

  it('a bad cursor is still a 400 with the problem, not a stream', async () => {
    const response = await post(at.port, at.token, {
      category: 'video',
      fields: 'id',
      cursor: 'nope'
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(await readAll(response)).error.code).toBe(
      'invalid_params'
    );
  });
});

describe('the job route, streamed from a query worker', () => {
  const data = fixtureData();
  addVideos(data, 5_000, 3000);
  const at = listening(data, 1);

  it('answers every page byte for byte as the buffered route, the count in the trailer', async () => {
    const pages = await expectPagesAsBuffered(at, data, {
      category: 'video',
      fields: 'id,hashtag_names,is_stem_verified,like_count',
      limit: 1999
    });
    expect(pages).toBeGreaterThan(2);
  });
});
