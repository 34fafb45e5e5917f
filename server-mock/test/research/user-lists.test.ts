import type { PublicData } from '../../src/data/schema';
import { findUser } from '../../src/research/graph/derived';
import { followList } from '../../src/research/graph/follows';
import {
  likedVideos,
  pinnedVideoIds,
  repostedVideos
} from '../../src/research/graph/videos';
import { bearer, makePlatform, signIn } from '../helpers/helpers';
import { jobTestData } from '../helpers/jobs-helpers';
import { call } from '../helpers/openapi-conformance';

/**
 * The Research API's user sub-endpoints and playlist info
 * (docs/research/research-api.md §5b), every response checked against
 * openapi.yaml by `call`: crawled as the public clients crawl them, the
 * records compared with the derived lists (src/research/user-graph.ts) and
 * the videos' fields with plain SQL over the same data.
 */

const USER = '/v2/research/user/';
const PLAYLIST = '/v2/research/playlist/info/';
const FIELDS = 'id,create_time,username,like_count';

let platform: ReturnType<typeof makePlatform>;
let data: PublicData;
let token: string;

beforeAll(async () => {
  data = jobTestData();
  platform = makePlatform({ publicData: data });
  token = await signIn(platform.app);
});
afterAll(() => platform.close());

async function post(
  url: string,
  body: unknown,
  contentType = 'application/json'
) {
  return call(platform.app, {
    method: 'POST',
    url,
    headers: { ...bearer(token), 'content-type': contentType },
    payload: JSON.stringify(body)
  });
}

type Row = Record<string, unknown>;

/** Users by how long a derived list of theirs is, longest first. */
function usersBy(
  length: (userId: number) => number
): { username: string; id: number; n: number }[] {
  return (
    data.db.prepare('SELECT id, username FROM users ORDER BY id').all() as {
      id: number;
      username: string;
    }[]
  )
    .map(user => ({ ...user, n: length(user.id) }))
    .sort((a, b) => b.n - a.n || a.id - b.id);
}

/** Crawl a list: the body's first page, then each answer's cursor, until has_more is false. */
async function crawl(
  url: string,
  key: string,
  first: Row
): Promise<{ items: Row[]; cursors: (number | null)[]; pages: number }> {
  const items: Row[] = [];
  const cursors: (number | null)[] = [];
  let body = first;
  for (let pages = 1; pages < 500; pages++) {
    const response = await post(url, body);
    expect(response.statusCode).toBe(200);
    const answer = response.json().data;
    const page = answer[key] as Row[];
    expect(page.length).toBeLessThanOrEqual((body.max_count as number) ?? 20);
    cursors.push((body.cursor as number | null) ?? null);
    items.push(...page);
    if (!answer.has_more) {
      return { items, cursors, pages };
    }
    body = { ...body, cursor: answer.cursor };
  }
  throw new Error('the crawl did not end');
}

function sqlVideos(ids: number[]): Row[] {
  const statement = data.db.prepare(
    'SELECT id, create_time, username, like_count FROM videos WHERE id = ?'
  );
  return ids.map(id => statement.get(id) as Row);
}

describe('POST /v2/research/user/liked_videos/', () => {
  it('pages every liked video once, newest create_time first, each created on or before the cursor sent (ResearchTikPy: cursor 0 first)', async () => {
    const [user] = usersBy(id => likedVideos(data, id).length);
    const expected = likedVideos(data, user.id).map(video => video.id);
    expect(expected.length).toBeGreaterThan(30);
    const crawled = await crawl(
      `${USER}liked_videos/?fields=${FIELDS}`,
      'user_liked_videos',
      {
        username: user.username,
        max_count: 9,
        cursor: 0
      }
    );
    expect(crawled.items).toEqual(sqlVideos(expected));
    expect(crawled.pages).toBe(Math.ceil(expected.length / 9));
    // Page 2 on: every video was created on or before the cursor that asked for it.
    let index = 0;
    for (const cursor of crawled.cursors) {
      const page = crawled.items.slice(index, index + 9);
      index += 9;
      for (const video of page) {
        if (cursor !== null && cursor !== 0) {
          expect(video.create_time as number).toBeLessThanOrEqual(cursor);
        }
      }
    }
  });

  it('answers the same to traktok (cursor null, max_count 100) and to a cursor left out, and shapes only the fields asked', async () => {
    const [, user] = usersBy(id => likedVideos(data, id).length);
    const traktok = await post(`${USER}liked_videos/?fields=id%2Ccreate_time`, {
      username: user.username,
      max_count: 100,
      cursor: null
    });
    const plain = await post(`${USER}liked_videos/?fields=id, create_time`, {
      username: user.username,
      max_count: 100
    });
    expect(traktok.json().data).toEqual(plain.json().data);
    const videos = traktok.json().data.user_liked_videos as Row[];
    expect(videos.length).toBeGreaterThan(0);
    for (const video of videos) {
      expect(Object.keys(video).sort()).toEqual(['create_time', 'id']);
    }
  });
});

describe('the time cursor’s default', () => {
  it('is the time of the request (the platform’s clock): nothing liked that was created later', async () => {
    const [user] = usersBy(id => likedVideos(data, id).length);
    const liked = likedVideos(data, user.id);
    const past = liked[Math.floor(liked.length / 2)].create_time;
    const saved = platform.clock.current;
    platform.clock.current = new Date(past * 1000);
    try {
      const response = await post(`${USER}liked_videos/?fields=id`, {
        username: user.username,
        max_count: 100
      });
      expect(response.json().data.user_liked_videos).toEqual(
        liked
          .filter(video => video.create_time <= past)
          .slice(0, 100)
          .map(video => ({ id: video.id }))
      );
    } finally {
      platform.clock.current = saved;
    }
  });
});

describe('POST /v2/research/user/reposted_videos/', () => {
  it('pages by index under data.reposted_videos: cursor is the next index, has_more false on the last page', async () => {
    const [user] = usersBy(id => repostedVideos(data, id).length);
    const expected = repostedVideos(data, user.id).map(video => video.id);
    expect(expected.length).toBeGreaterThan(4);
    const crawled = await crawl(
      `${USER}reposted_videos/?fields=${FIELDS}`,
      'reposted_videos',
      {
        username: user.username,
        max_count: 2
      }
    );
    expect(crawled.items).toEqual(sqlVideos(expected));
    expect(crawled.cursors.slice(1)).toEqual(
      Array.from({ length: crawled.pages - 1 }, (_, page) => (page + 1) * 2)
    );
  });
});

describe('POST /v2/research/user/pinned_videos/', () => {
  it('lists the pinned videos, the user’s own, in data.pinned_videos_list alone, ignoring the paging traktok sends', async () => {
    const [user] = usersBy(id => pinnedVideoIds(data, findUserById(id)).length);
    const expected = pinnedVideoIds(data, findUserById(user.id));
    expect(expected.length).toBeGreaterThan(0);
    const response = await post(`${USER}pinned_videos/?fields=${FIELDS}`, {
      username: user.username,
      max_count: 100,
      cursor: null
    });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().data)).toEqual(['pinned_videos_list']);
    expect(response.json().data.pinned_videos_list).toEqual(
      sqlVideos(expected)
    );
    for (const video of response.json().data.pinned_videos_list as Row[]) {
      expect(video.username).toBe(user.username);
    }
  });
});

function findUserById(id: number) {
  const row = data.db
    .prepare('SELECT username FROM users WHERE id = ?')
    .get(id) as {
    username: string;
  };
  return findUser(data, row.username)!;
}

describe('POST /v2/research/user/followers/ and /following/', () => {
  it('pages every follower once as {display_name, username}, newest first, by time cursors', async () => {
    const [user] = usersBy(id => followList(data, id, 'followers').length);
    const expected = followList(data, user.id, 'followers');
    expect(expected.length).toBeGreaterThan(100);
    const crawled = await crawl(`${USER}followers/`, 'user_followers', {
      username: user.username,
      max_count: 100,
      cursor: 0
    });
    const names = data.db.prepare(
      'SELECT username, display_name FROM users WHERE id = ?'
    );
    expect(crawled.items).toEqual(
      expected.map(follow => {
        const row = names.get(follow.userId) as Row;
        return { display_name: row.display_name, username: row.username };
      })
    );
    // Each cursor after the first is a follow time minus one, decreasing.
    const times = crawled.cursors.slice(1) as number[];
    for (let index = 1; index < times.length; index++) {
      expect(times[index]).toBeLessThan(times[index - 1]);
    }
  });

  it('is the same graph both ways: a follower lists the user among its following', async () => {
    const [user] = usersBy(id => followList(data, id, 'followers').length);
    const followers = await post(`${USER}followers/`, {
      username: user.username,
      max_count: 5
    });
    const follower = (followers.json().data.user_followers as Row[])[0];
    const following = await crawl(`${USER}following/`, 'user_following', {
      username: follower.username,
      max_count: 100
    });
    expect(following.items.map(item => item.username)).toContain(user.username);
  });

  it('starts before a cursor in the past, and gives an empty last page for a cursor before every follow', async () => {
    const [user] = usersBy(id => followList(data, id, 'followers').length);
    const list = followList(data, user.id, 'followers');
    const middle = list[Math.floor(list.length / 2)].time;
    const response = await post(`${USER}followers/`, {
      username: user.username,
      max_count: 3,
      cursor: middle
    });
    const names = (response.json().data.user_followers as Row[]).map(
      item => item.username
    );
    const expected = list.filter(follow => follow.time <= middle).slice(0, 3);
    expect(names).toEqual(
      expected.map(follow =>
        data.db
          .prepare('SELECT username FROM users WHERE id = ?')
          .pluck()
          .get(follow.userId)
      )
    );
    const none = await post(`${USER}followers/`, {
      username: user.username,
      cursor: 1
    });
    expect(none.json().data).toEqual({
      user_followers: [],
      cursor: 1,
      has_more: false
    });
  });
});

describe('POST /v2/research/playlist/info/', () => {
  const playlist = () =>
    data.db
      .prepare(
        'SELECT playlist_id AS id, count(*) AS n, max(create_time) AS last FROM videos WHERE playlist_id IS NOT NULL GROUP BY playlist_id ORDER BY n DESC, playlist_id LIMIT 1'
      )
      .get() as { id: number; n: number; last: number };

  it('gives the playlist flat in data, its videos oldest first as SQL lists them, paged by index', async () => {
    const { id, n, last } = playlist();
    expect(n).toBeGreaterThan(2);
    const ids = data.db
      .prepare('SELECT id FROM videos WHERE playlist_id = ? ORDER BY id')
      .pluck()
      .all(id) as number[];
    const first = await post(PLAYLIST, {
      playlist_id: String(id),
      max_count: 2
    });
    expect(first.statusCode).toBe(200);
    const answer = first.json().data;
    expect(answer).toEqual({
      playlist_id: id,
      playlist_name: expect.any(String) as string,
      playlist_video_ids: ids.slice(0, 2),
      playlist_item_total: n,
      playlist_last_updated: last,
      cursor: 2,
      has_more: true
    });
    const rest = await post(PLAYLIST, { playlist_id: id, cursor: 2 });
    expect(rest.json().data.playlist_video_ids).toEqual(ids.slice(2));
    expect(rest.json().data.has_more).toBe(false);
  });

  it('returns only the fields named (the newer page’s ?fields=playlist_id), and refuses an unknown field', async () => {
    const { id } = playlist();
    const response = await post(`${PLAYLIST}?fields=playlist_id`, {
      playlist_id: id
    });
    expect(Object.keys(response.json().data).sort()).toEqual([
      'cursor',
      'has_more',
      'playlist_id'
    ]);
    const wrong = await post(`${PLAYLIST}?fields=playlist_owner`, {
      playlist_id: id
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain(
      '"playlist_owner" is not a playlist field'
    );
  });
});

describe('refusals in the Research API’s words', () => {
  it('400 invalid_params for an unknown user on every user list, as the real API words it', async () => {
    for (const list of [
      'liked_videos',
      'pinned_videos',
      'reposted_videos',
      'followers',
      'following'
    ]) {
      const response = await post(`${USER}${list}/?fields=id`, {
        username: 'nobody_at_all_42'
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toEqual({
        code: 'invalid_params',
        message:
          '`username: nobody_at_all_42` is invalid: cannot find the user',
        log_id: expect.stringMatching(/^[0-9]{14}[0-9A-F]{20}$/) as string
      });
    }
  });

  it('400 naming the key: max_count over 100, fields missing on a video list, an unknown playlist', async () => {
    const [user] = usersBy(id => likedVideos(data, id).length);
    const big = await post(`${USER}followers/`, {
      username: user.username,
      max_count: 101
    });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.message).toContain(
      'max_count must be an integer from 1 to 100'
    );
    const noFields = await post(`${USER}liked_videos/`, {
      username: user.username
    });
    expect(noFields.statusCode).toBe(400);
    expect(noFields.json().error.message).toContain('fields is required');
    const unknown = await post(PLAYLIST, { playlist_id: 12345 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toBe(
      '`playlist_id: 12345` is invalid: cannot find the playlist'
    );
  });

  it('takes a JSON body sent as text/plain (the C4D client)', async () => {
    const [user] = usersBy(id => followList(data, id, 'following').length);
    const response = await post(
      `${USER}following/`,
      { username: user.username, max_count: 1 },
      'text/plain'
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().data.user_following).toHaveLength(1);
  });
});

describe('the quota’s buckets (docs/research/research-api.md §6)', () => {
  it('charges followers and following to their own bucket, the video lists to the research one', async () => {
    const limited = makePlatform({
      publicData: data,
      researchLimits: { followDailyRecords: 5, dailyRecords: 1000 }
    });
    try {
      const limitedToken = await signIn(limited.app);
      const ask = (url: string, body: unknown) =>
        call(limited.app, {
          method: 'POST',
          url,
          headers: {
            ...bearer(limitedToken),
            'content-type': 'application/json'
          },
          payload: JSON.stringify(body)
        });
      const [user] = usersBy(id => followList(data, id, 'followers').length);
      // 5 follow records: a page of 5 passes, the next record does not.
      const first = await ask(`${USER}followers/`, {
        username: user.username,
        max_count: 5
      });
      expect(first.statusCode).toBe(200);
      const over = await ask(`${USER}following/`, {
        username: user.username,
        max_count: 1
      });
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('daily_quota_limit_exceeded');
      // The research bucket is untouched: liked videos still answer.
      const liked = await ask(`${USER}liked_videos/?fields=id`, {
        username: user.username,
        max_count: 20
      });
      expect(liked.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('faults on a switch (README § Faults on a switch)', () => {
  const FAULTS = '/v2/mock/faults/';
  async function setPlan(faults: unknown[]) {
    const response = await call(platform.app, {
      method: 'PUT',
      url: FAULTS,
      headers: bearer(token),
      payload: { seed: 7, faults }
    });
    expect(response.statusCode).toBe(200);
  }
  afterEach(async () => {
    await call(platform.app, {
      method: 'DELETE',
      url: FAULTS,
      headers: bearer(token)
    });
  });

  it('answers each user list and playlist info with the planned 500, in the real words', async () => {
    await setPlan([{ kind: 'internal_error' }]);
    const [user] = usersBy(id => likedVideos(data, id).length);
    for (const list of [
      'liked_videos',
      'pinned_videos',
      'reposted_videos',
      'followers',
      'following'
    ]) {
      const response = await post(`${USER}${list}/?fields=id`, {
        username: user.username
      });
      expect(response.statusCode).toBe(500);
      expect(response.json().error.code).toBe('internal_error');
    }
    // A playlist that exists: one no one has is the caller's mistake, a 400 whatever the plan.
    const { id } = data.db
      .prepare(
        'SELECT playlist_id AS id FROM videos WHERE playlist_id IS NOT NULL LIMIT 1'
      )
      .get() as { id: number };
    const playlist = await post(PLAYLIST, { playlist_id: id });
    expect(playlist.statusCode).toBe(500);
  });

  it('refuses a user, empties a page, and puts NUL bytes in display names, as planned', async () => {
    const [user] = usersBy(id => followList(data, id, 'followers').length);
    await setPlan([
      {
        kind: 'refuse_user',
        usernames: [user.username],
        reason: 'private',
        endpoints: ['user/liked_videos']
      },
      { kind: 'empty_results', endpoints: ['user/reposted_videos'] },
      { kind: 'nul_bytes', endpoints: ['user/followers'] }
    ]);
    const refused = await post(`${USER}liked_videos/?fields=id`, {
      username: user.username
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe(
      `\`username: ${user.username}\` is private`
    );
    const empty = await post(`${USER}reposted_videos/?fields=id`, {
      username: user.username
    });
    expect(empty.json().data).toEqual({
      reposted_videos: [],
      cursor: expect.any(Number) as number,
      has_more: false
    });
    const followers = await post(`${USER}followers/`, {
      username: user.username,
      max_count: 10
    });
    const names = (followers.json().data.user_followers as Row[]).map(
      item => item.display_name as string
    );
    expect(names.length).toBe(10);
    expect(names.every(name => name.includes('\u0000'))).toBe(true);
  });
});
