import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtureData, type Fixture } from '../../src/data/fixture';
import { LAST_CREATE_TIME } from '../../src/data/generate';
import { openPublicData } from '../../src/data/open';
import type { PublicData } from '../../src/data/schema';
import { findUser, userInfos } from '../../src/research/graph/derived';
import {
  followList,
  spreadTies,
  type Follow
} from '../../src/research/graph/follows';
import { hash32 } from '../../src/research/graph/hashing';
import { FOLLOW_LIST_CAP, MAX_PINNED } from '../../src/research/graph/limits';
import { indexPage, timePage, type Page } from '../../src/research/graph/pages';
import { playlistInfo } from '../../src/research/graph/playlists';
import {
  likedVideos,
  pinnedVideoIds,
  repostedVideos
} from '../../src/research/graph/videos';

const VIDEOS = 2000;
const NOW = Date.UTC(2026, 11, 7) / 1000;

/** Every page of a list by time from the default cursor (now), `maxCount` a page. */
function allTimePages<T>(
  items: readonly T[],
  timeOf: (item: T) => number,
  maxCount: number
): Page<T>[] {
  const pages: Page<T>[] = [];
  let cursor = NOW;
  for (;;) {
    const page = timePage(items, timeOf, cursor, maxCount);
    pages.push(page);
    if (!page.hasMore) {
      return pages;
    }
    expect(page.cursor).toBeLessThan(cursor);
    cursor = page.cursor;
  }
}

function usernames(data: PublicData): string[] {
  return (
    data.db.prepare('SELECT username FROM users ORDER BY id').all() as {
      username: string;
    }[]
  ).map(row => row.username);
}

/** Everything the graph says about every user: what two runs must agree on. */
function snapshot(data: PublicData) {
  return usernames(data).map(name => {
    const user = findUser(data, name)!;
    return {
      name,
      liked: likedVideos(data, user.id).map(video => video.id),
      reposted: repostedVideos(data, user.id).map(video => video.id),
      pinned: pinnedVideoIds(data, user),
      followers: followList(data, user.id, 'followers'),
      following: followList(data, user.id, 'following')
    };
  });
}

describe('the derived user graph on generated data', () => {
  let dir: string;
  let data: PublicData;
  let again: PublicData;
  let other: PublicData;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-user-graph-'));
    const open = (folder: string, seed: number) =>
      openPublicData({
        dataDir: join(dir, folder),
        seed,
        videos: VIDEOS,
        log: () => undefined
      });
    data = open('a', 5);
    again = open('b', 5); // a second file of the same seed: a restart elsewhere
    other = open('c', 6);
  });

  afterAll(() => {
    for (const set of [data, again, other]) {
      set.db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same answers for the same seed (another file, another process), others for another seed', () => {
    const first = snapshot(data);
    expect(snapshot(again)).toEqual(first);
    expect(JSON.stringify(snapshot(other))).not.toEqual(JSON.stringify(first));
    // Not empty: the lists have something to agree on.
    expect(first.some(user => user.liked.length > 0)).toBe(true);
    expect(first.some(user => user.followers.length > 0)).toBe(true);
    expect(first.some(user => user.pinned.length > 0)).toBe(true);
  });

  it('is one graph: b is among a’s following exactly when a is among b’s followers', () => {
    const names = usernames(data);
    const ids = names.map(name => findUser(data, name)!.id);
    const following = new Set<string>();
    for (const id of ids) {
      for (const follow of followList(data, id, 'following')) {
        following.add(`${id}>${follow.userId}`);
      }
    }
    const followers = new Set<string>();
    for (const id of ids) {
      for (const follow of followList(data, id, 'followers')) {
        followers.add(`${follow.userId}>${id}`);
      }
    }
    expect(following.size).toBeGreaterThan(100);
    expect(
      [...following].filter(edge => edge.split('>')[0] === edge.split('>')[1])
    ).toEqual([]);
    expect([...followers].sort()).toEqual([...following].sort());
  });

  it('lists followers newest first, about as many as follower_count says (at most the other users)', () => {
    const names = usernames(data);
    let listed = 0;
    let counted = 0;
    for (const name of names) {
      const user = findUser(data, name)!;
      const list = followList(data, user.id, 'followers');
      // Strictly: no two follows of a list share a time, so no page holds a run past max_count.
      expect(
        list.filter(
          (follow, index) =>
            (index > 0 && follow.time >= list[index - 1].time) ||
            follow.time > LAST_CREATE_TIME
        )
      ).toEqual([]);
      listed += list.length;
      counted += Math.min(user.follower_count, names.length - 1);
    }
    expect(listed).toBeGreaterThan(counted * 0.5);
    expect(listed).toBeLessThanOrEqual(counted * 1.1);
  });

  it('pages followers by time: every follower once, in order, has_more false only on the last page', () => {
    const names = usernames(data);
    const popular = names
      .map(name => findUser(data, name)!)
      .map(user => ({ user, list: followList(data, user.id, 'followers') }))
      .sort((a, b) => b.list.length - a.list.length)[0];
    expect(popular.list.length).toBeGreaterThan(20);
    for (const maxCount of [1, 7, 20, 100]) {
      const pages = allTimePages(popular.list, (f: Follow) => f.time, maxCount);
      expect(pages.flatMap(page => page.items)).toEqual(popular.list);
      expect(pages.slice(0, -1).every(page => page.hasMore)).toBe(true);
      expect(pages.at(-1)!.hasMore).toBe(false);
      for (const page of pages) {
        expect(page.items.length).toBeLessThanOrEqual(maxCount);
      }
    }
    // The items are users of the data, as {display_name, username}.
    const infos = userInfos(
      data,
      popular.list.slice(0, 5).map(follow => follow.userId)
    );
    expect(infos).toHaveLength(5);
    for (const info of infos) {
      expect(Object.keys(info).sort()).toEqual(['display_name', 'username']);
      expect(findUser(data, info.username)).toBeDefined();
    }
  });

  it('draws liked videos among other users’ videos, distinct, newest create_time first, paged exactly', () => {
    const names = usernames(data);
    let someone = 0;
    for (const name of names) {
      const user = findUser(data, name)!;
      const liked = likedVideos(data, user.id);
      expect(new Set(liked.map(video => video.id)).size).toBe(liked.length);
      expect(liked.filter(video => video.user_id === user.id)).toEqual([]);
      expect(
        liked.filter(
          (video, index) =>
            index > 0 && video.create_time >= liked[index - 1].create_time
        )
      ).toEqual([]);
      if (liked.length > 25) {
        someone += 1;
        const pages = allTimePages(liked, video => video.create_time, 10);
        expect(pages.flatMap(page => page.items)).toEqual(liked);
        // Each page's videos were created on or before the cursor sent for it.
        let cursor = NOW;
        for (const page of pages) {
          const sent = cursor;
          expect(page.items.filter(video => video.create_time > sent)).toEqual(
            []
          );
          cursor = page.cursor;
        }
      }
    }
    expect(someone).toBeGreaterThan(0);
  });

  it('pins up to 3 of the user’s own videos and reposts other users’ videos', () => {
    const names = usernames(data);
    const counts = new Set<number>();
    for (const name of names) {
      const user = findUser(data, name)!;
      const pinned = pinnedVideoIds(data, user);
      counts.add(pinned.length);
      expect(pinned.length).toBeLessThanOrEqual(MAX_PINNED);
      for (const id of pinned) {
        const row = data.db
          .prepare('SELECT username FROM videos WHERE id = ?')
          .get(id) as { username: string };
        expect(row.username).toBe(name);
      }
      for (const video of repostedVideos(data, user.id)) {
        expect(video.user_id).not.toBe(user.id);
      }
    }
    expect([...counts].sort()).toEqual([0, 1, 2, 3]);
  });

  it('gives a playlist’s videos, count and last update, and nothing for an unknown id', () => {
    const row = data.db
      .prepare(
        'SELECT playlist_id AS id, count(*) AS n, max(create_time) AS last FROM videos WHERE playlist_id IS NOT NULL GROUP BY playlist_id ORDER BY n DESC LIMIT 1'
      )
      .get() as { id: number; n: number; last: number };
    const info = playlistInfo(data, row.id)!;
    expect(info.playlist_id).toBe(row.id);
    expect(info.playlist_item_total).toBe(row.n);
    expect(info.playlist_video_ids).toHaveLength(row.n);
    expect(info.playlist_last_updated).toBe(row.last);
    expect(info.playlist_name).toMatch(/^[A-Za-z& ]+ [1-9]$/);
    expect(playlistInfo(again, row.id)).toEqual(info);
    expect(playlistInfo(data, 1)).toBeUndefined();
  });
});

describe('the follow lists’ cap', () => {
  it('lists at most FOLLOW_LIST_CAP followers, the newest', () => {
    const count = FOLLOW_LIST_CAP + 300;
    const fixture: Fixture = {
      users: Array.from({ length: count }, (_, index) => ({
        id: 1000 + index,
        username: `user_${index}`,
        display_name: `User ${index}`,
        follower_count: 1_000_000_000,
        following_count: 1_000_000_000,
        region_code: 'US'
      })),
      videos: [],
      comments: []
    };
    const data = buildFixtureData(fixture);
    try {
      // Everyone follows everyone: 5,299 others, the list stops at 5,000.
      const list = followList(data, 1000, 'followers');
      expect(list).toHaveLength(FOLLOW_LIST_CAP);
      const times = list.map(follow => follow.time);
      const all = Array.from({ length: count - 1 }, (_, index) => 1001 + index);
      expect(new Set(list.map(follow => follow.userId)).size).toBe(
        FOLLOW_LIST_CAP
      );
      // The ones left out are the oldest.
      const kept = new Set(list.map(follow => follow.userId));
      const left = all.filter(id => !kept.has(id));
      expect(left).toHaveLength(count - 1 - FOLLOW_LIST_CAP);
      const oldestKept = Math.min(...times);
      const fullList = followList(data, 1000, 'following');
      expect(fullList).toHaveLength(FOLLOW_LIST_CAP);
      expect(oldestKept).toBeGreaterThan(0);
      const pages = allTimePages(list, (f: Follow) => f.time, 100);
      expect(pages).toHaveLength(Math.ceil(FOLLOW_LIST_CAP / 100));
      expect(pages.flatMap(page => page.items)).toEqual(list);
    } finally {
      data.db.close();
    }
  });
});

describe('timePage', () => {
  const items = [50, 40, 40, 40, 30, 20, 20, 10];
  const time = (value: number) => value;

  it('never splits a run of equal times: ends before it, or takes it whole', () => {
    // 3 a page would cut the run of 40s after two: the page ends before it.
    expect(timePage(items, time, 60, 3)).toEqual({
      items: [50],
      cursor: 49,
      hasMore: true
    });
    // The run starts the page: taken whole although it is more than 2.
    expect(timePage(items, time, 49, 2)).toEqual({
      items: [40, 40, 40],
      cursor: 39,
      hasMore: true
    });
    const pages = allTimePages(items, time, 2);
    expect(pages.flatMap(page => page.items)).toEqual(items);
  });

  it('starts at the first item on or before the cursor, and says when there is nothing more', () => {
    expect(timePage(items, time, 20, 10)).toEqual({
      items: [20, 20, 10],
      cursor: 9,
      hasMore: false
    });
    expect(timePage(items, time, 5, 10)).toEqual({
      items: [],
      cursor: 5,
      hasMore: false
    });
    expect(timePage([], time, NOW, 20)).toEqual({
      items: [],
      cursor: NOW,
      hasMore: false
    });
  });
});

describe('spreadTies', () => {
  it('moves a tie a second before the time above it, so a list’s times are distinct', () => {
    const items = [5, 5, 5, 3, 1].map(time => ({ time }));
    spreadTies(items);
    expect(items.map(item => item.time)).toEqual([5, 4, 3, 2, 1]);
  });
});

describe('indexPage', () => {
  it('pages by index: the next cursor is the next index, has_more until the end', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(indexPage(items, 0, 2)).toEqual({
      items: ['a', 'b'],
      cursor: 2,
      hasMore: true
    });
    expect(indexPage(items, 4, 2)).toEqual({
      items: ['e'],
      cursor: 5,
      hasMore: false
    });
    expect(indexPage(items, 9, 2)).toEqual({
      items: [],
      cursor: 5,
      hasMore: false
    });
  });
});

describe('hash32', () => {
  it('is pinned: a change here changes every derived list', () => {
    expect([hash32(1, 2), hash32(5, 7_100_000_000_012_345, 3)]).toEqual([
      4172908620, 999930982
    ]);
    // Ids above 2^32 hash by all their bits.
    expect(hash32(5, 2 ** 40)).not.toBe(hash32(5, 0));
    expect(hash32(5, 2 ** 40 + 1)).not.toBe(hash32(5, 2 ** 40));
  });
});
