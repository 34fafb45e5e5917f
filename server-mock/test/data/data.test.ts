import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMMENT_ID_BASE,
  durationTypeOf,
  FIRST_CREATE_TIME,
  generatePublicData,
  LAST_CREATE_TIME,
  MAX_DURATION,
  MIN_DURATION,
  VIDEO_ID_BASE,
  videoLengthOf
} from '../../src/data/generate';
import { openPublicData, publicDataFileName } from '../../src/data/open';
import { Random, WeightedPicker } from '../../src/data/random';
import { PUBLIC_DATA_INDEXES } from '../../src/data/schema';
import { REGION_CODES } from '../../src/data/vocabulary';

const VIDEOS = 2000;

describe('Random', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    // Pinned: a change here changes every generated data set (bump GENERATOR_VERSION).
    expect(draw(1)).toEqual([
      1130556604, 2591592147, 3014952990, 960850752, 2734082507
    ]);
  });

  it('draws integers in range, uniformly enough', () => {
    const random = new Random(7);
    const counts = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let index = 0; index < 60_000; index++) {
      counts[random.int(1, 6)] += 1;
    }
    expect(counts[0] + counts[7]).toBe(0);
    for (const count of counts.slice(1, 7)) {
      expect(count).toBeGreaterThan(9_400);
      expect(count).toBeLessThan(10_600);
    }
  });

  it('picks by weight, and shuffles to a permutation', () => {
    const random = new Random(3);
    const picker = new WeightedPicker(['a', 'b', 'c'], [1, 0, 3]);
    const seen = { a: 0, b: 0, c: 0 };
    for (let index = 0; index < 8_000; index++) {
      seen[picker.pick(random) as 'a' | 'b' | 'c'] += 1;
    }
    expect(seen.b).toBe(0);
    expect(seen.c / seen.a).toBeGreaterThan(2.6);
    expect(seen.c / seen.a).toBeLessThan(3.4);
    expect(random.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('duration buckets (research-api.md §2)', () => {
  it.each([
    [3, 'SHORT'],
    [14, 'SHORT'],
    [15, 'MID'],
    [60, 'MID'],
    [61, 'LONG'],
    [300, 'LONG'],
    [301, 'EXTRA_LONG'],
    [900, 'EXTRA_LONG']
  ])('%i s is %s', (seconds, bucket) => {
    expect(videoLengthOf(seconds)).toBe(bucket);
    expect(durationTypeOf(seconds)).toBe(bucket.toLowerCase());
  });
});

describe('generatePublicData', () => {
  let dir: string;
  let path: string;
  let db: Database.Database;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-data-'));
    path = join(dir, 'a.sqlite');
    generatePublicData(path, { seed: 1, videos: VIDEOS });
    db = new Database(path, { readonly: true });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const all = <T>(sql: string, ...params: unknown[]) =>
    db.prepare(sql).all(...params) as T[];
  const value = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  const sha256 = (file: string) =>
    createHash('sha256').update(readFileSync(file)).digest('hex');

  it('is deterministic: same seed, byte-identical file; another seed, other data', () => {
    const again = join(dir, 'b.sqlite');
    const other = join(dir, 'c.sqlite');
    generatePublicData(again, { seed: 1, videos: VIDEOS });
    generatePublicData(other, { seed: 2, videos: VIDEOS });
    expect(sha256(again)).toBe(sha256(path));
    expect(sha256(other)).not.toBe(sha256(path));
    const otherDb = new Database(other, { readonly: true });
    const firstIds = (d: Database.Database) =>
      d.prepare('SELECT id FROM videos ORDER BY id LIMIT 20').pluck().all();
    expect(firstIds(otherDb)).not.toEqual(firstIds(db));
    otherDb.close();
  });

  it('leaves no temporary file behind', () => {
    expect(readdirSync(dir).filter(name => name.endsWith('.tmp'))).toEqual([]);
  });

  it('has the expected row counts', () => {
    expect(value('SELECT count(*) FROM videos')).toBe(VIDEOS);
    expect(value('SELECT count(*) FROM users')).toBe(VIDEOS / 20);
    const comments = value('SELECT count(*) FROM comments');
    expect(comments / VIDEOS).toBeGreaterThan(2);
    expect(comments / VIDEOS).toBeLessThan(4.5);
    const info = Object.fromEntries(
      all<{ key: string; value: string }>(
        'SELECT key, value FROM dataset_info'
      ).map(row => [row.key, row.value])
    );
    expect(info).toMatchObject({
      seed: '1',
      videos: String(VIDEOS),
      comments: String(comments)
    });
  });

  it('keeps references whole', () => {
    expect(
      value(
        'SELECT count(*) FROM videos v LEFT JOIN users u ON u.id = v.user_id WHERE u.id IS NULL'
      )
    ).toBe(0);
    expect(
      value(
        `SELECT count(*) FROM videos v JOIN users u ON u.id = v.user_id
         WHERE v.username != u.username OR v.display_name != u.display_name`
      )
    ).toBe(0);
    expect(
      value(
        'SELECT count(*) FROM comments c LEFT JOIN videos v ON v.id = c.video_id WHERE v.id IS NULL'
      )
    ).toBe(0);
    expect(
      value(
        'SELECT count(*) FROM video_hashtags h LEFT JOIN videos v ON v.id = h.video_id WHERE v.id IS NULL'
      )
    ).toBe(0);
    expect(
      value(
        'SELECT count(*) FROM video_effects e LEFT JOIN videos v ON v.id = e.video_id WHERE v.id IS NULL'
      )
    ).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('threads comments: top level under the video, replies under a comment of the same video', () => {
    const topLevel = value(
      'SELECT count(*) FROM comments WHERE parent_comment_id = video_id'
    );
    const replies = all<{ ok: number }>(
      `SELECT p.video_id = c.video_id AND p.parent_comment_id = p.video_id AND c.create_time >= p.create_time AS ok
       FROM comments c JOIN comments p ON p.id = c.parent_comment_id`
    );
    expect(topLevel + replies.length).toBe(
      value('SELECT count(*) FROM comments')
    );
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every(row => row.ok === 1)).toBe(true);
    expect(
      value(
        `SELECT count(*) FROM comments p
         WHERE p.reply_count != (SELECT count(*) FROM comments c WHERE c.parent_comment_id = p.id)`
      )
    ).toBe(0);
    expect(
      value(
        'SELECT count(*) FROM videos v WHERE comment_count < (SELECT count(*) FROM comments c WHERE c.video_id = v.id)'
      )
    ).toBe(0);
    expect(
      value(
        'SELECT count(*) FROM comments c JOIN videos v ON v.id = c.video_id WHERE c.create_time < v.create_time'
      )
    ).toBe(0);
  });

  it('uses large ids that are exact in JavaScript', () => {
    const ids = all<{ id: number }>(
      'SELECT id FROM videos UNION ALL SELECT id FROM comments UNION ALL SELECT id FROM users'
    );
    expect(
      ids.filter(({ id }) => !Number.isSafeInteger(id) || id < 1e15)
    ).toEqual([]);
    expect(value('SELECT min(id) FROM videos')).toBeGreaterThanOrEqual(
      VIDEO_ID_BASE
    );
    expect(value('SELECT min(id) FROM comments')).toBeGreaterThanOrEqual(
      COMMENT_ID_BASE
    );
    // Video ids grow with create_time.
    const times = db
      .prepare('SELECT create_time FROM videos ORDER BY id')
      .pluck()
      .all() as number[];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      value(
        "SELECT count(*) FROM videos WHERE typeof(id) != 'integer' OR typeof(view_count) != 'integer'"
      )
    ).toBe(0);
  });

  it('keeps values in their domains', () => {
    const regions = new Set(REGION_CODES);
    for (const table of ['videos', 'users']) {
      for (const code of db
        .prepare(`SELECT DISTINCT region_code FROM ${table}`)
        .pluck()
        .all() as string[]) {
        expect(regions.has(code)).toBe(true);
      }
    }
    const videos = all<{
      video_duration: number;
      video_length: string;
      duration_type: string;
      create_time: number;
    }>(
      'SELECT video_duration, video_length, duration_type, create_time FROM videos'
    );
    for (const video of videos) {
      expect(video.video_length).toBe(videoLengthOf(video.video_duration));
      expect(video.duration_type).toBe(durationTypeOf(video.video_duration));
      expect(video.video_duration).toBeGreaterThanOrEqual(MIN_DURATION);
      expect(video.video_duration).toBeLessThanOrEqual(MAX_DURATION);
      expect(video.create_time).toBeGreaterThanOrEqual(FIRST_CREATE_TIME);
      expect(video.create_time).toBeLessThanOrEqual(LAST_CREATE_TIME);
    }
    expect(new Set(videos.map(video => video.video_length))).toEqual(
      new Set(['SHORT', 'MID', 'LONG', 'EXTRA_LONG'])
    );
    expect(value('SELECT max(create_time) FROM comments')).toBeLessThanOrEqual(
      LAST_CREATE_TIME
    );
    expect(
      value(
        'SELECT count(*) FROM videos WHERE NOT (view_count >= like_count AND like_count >= share_count AND like_count >= favorites_count)'
      )
    ).toBe(0);
    expect(
      value('SELECT count(*) FROM videos WHERE playlist_id IS NULL') / VIDEOS
    ).toBeGreaterThan(0.8);
    const stem =
      value('SELECT count(*) FROM videos WHERE is_stem_verified = 1') / VIDEOS;
    expect(stem).toBeLessThan(0.02);
    expect(value('SELECT count(DISTINCT username) FROM users')).toBe(
      VIDEOS / 20
    );
  });

  it('writes JSON arrays that match the side tables', () => {
    const side = (table: string, column: string) => {
      const map = new Map<number, string[]>();
      for (const row of all<{ video_id: number; name: string }>(
        `SELECT video_id, ${column} AS name FROM ${table}`
      )) {
        map.set(row.video_id, [...(map.get(row.video_id) ?? []), row.name]);
      }
      return map;
    };
    const hashtags = side('video_hashtags', 'hashtag_name');
    const effects = side('video_effects', 'effect_id');
    for (const video of all<{
      id: number;
      hashtag_names: string;
      effect_ids: string;
    }>('SELECT id, hashtag_names, effect_ids FROM videos')) {
      const names = JSON.parse(video.hashtag_names) as string[];
      const ids = JSON.parse(video.effect_ids) as string[];
      expect(Array.isArray(names) && Array.isArray(ids)).toBe(true);
      expect([...names].sort()).toEqual(
        [...(hashtags.get(video.id) ?? [])].sort()
      );
      expect([...ids].sort()).toEqual(
        [...(effects.get(video.id) ?? [])].sort()
      );
      expect(ids.every(id => /^\d+$/.test(id))).toBe(true);
    }
  });

  it('has long tails: median far below the mean, the top 1% holding a large share', () => {
    const views = db
      .prepare('SELECT view_count FROM videos ORDER BY view_count')
      .pluck()
      .all() as number[];
    const total = views.reduce((sum, count) => sum + count, 0);
    const median = views[Math.floor(views.length / 2)];
    expect(total / views.length).toBeGreaterThan(3 * median);
    const top = views
      .slice(-Math.ceil(views.length / 100))
      .reduce((sum, count) => sum + count, 0);
    expect(top / total).toBeGreaterThan(0.2);
    const followers = db
      .prepare('SELECT follower_count FROM users ORDER BY follower_count')
      .pluck()
      .all() as number[];
    const meanFollowers =
      followers.reduce((sum, count) => sum + count, 0) / followers.length;
    expect(meanFollowers).toBeGreaterThan(
      5 * followers[Math.floor(followers.length / 2)]
    );
    // Hashtags: Zipf-like, the most used tag far ahead of the median tag.
    const uses = db
      .prepare(
        'SELECT count(*) FROM video_hashtags GROUP BY hashtag_name ORDER BY 1 DESC'
      )
      .pluck()
      .all() as number[];
    expect(uses[0]).toBeGreaterThan(10 * uses[Math.floor(uses.length / 2)]);
  });

  it('has creators on both sides of the test stage’s 25,000-follower line', () => {
    const big =
      value('SELECT count(*) FROM users WHERE follower_count >= 25000') /
      (VIDEOS / 20);
    expect(big).toBeGreaterThan(0.03);
    expect(big).toBeLessThan(0.4);
  });

  it('answers a keyword that is in a description from the keyword index', () => {
    const video = db
      .prepare(
        "SELECT id, video_description FROM videos WHERE video_description GLOB '*[a-z]*' ORDER BY id LIMIT 1 OFFSET 17"
      )
      .get() as { id: number; video_description: string };
    const word = video.video_description
      .split(/\s+/)
      .find(token => /^[a-z]{4,}$/i.test(token))!;
    const ids = db
      .prepare('SELECT rowid FROM video_search WHERE video_search MATCH ?')
      .pluck()
      .all(`"${word}"`) as number[];
    expect(ids).toContain(video.id);
    const tagged = db
      .prepare('SELECT video_id, hashtag_name FROM video_hashtags LIMIT 1')
      .get() as {
      video_id: number;
      hashtag_name: string;
    };
    const byTag = db
      .prepare('SELECT rowid FROM video_search WHERE video_search MATCH ?')
      .pluck()
      .all(`hashtags : "${tagged.hashtag_name}"`) as number[];
    expect(byTag).toContain(tagged.video_id);
  });

  it('has every index of schema.ts', () => {
    const expected = [
      ...PUBLIC_DATA_INDEXES.matchAll(/CREATE INDEX (\w+)/g)
    ].map(match => match[1]);
    const present = new Set(
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index'")
        .pluck()
        .all() as string[]
    );
    expect(expected.length).toBeGreaterThan(10);
    for (const name of expected) {
      expect(present.has(name)).toBe(true);
    }
    expect(
      value("SELECT count(*) FROM sqlite_master WHERE name = 'video_search'")
    ).toBe(1);
    expect(
      value("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).toBe(1);
  });

  it('refuses sizes and seeds out of range', () => {
    expect(() =>
      generatePublicData(join(dir, 'x.sqlite'), { seed: 1, videos: 0 })
    ).toThrow(RangeError);
    expect(() =>
      generatePublicData(join(dir, 'x.sqlite'), { seed: -1, videos: 10 })
    ).toThrow(RangeError);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });
});

describe('openPublicData', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vce-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the file once, logs the time, then reuses it, read-only', () => {
    const lines: string[] = [];
    const first = openPublicData({
      dataDir: join(dir, 'nested'),
      seed: 5,
      videos: 300,
      log: line => lines.push(line)
    });
    const file = join(dir, 'nested', publicDataFileName(5, 300));
    expect(publicDataFileName(5, 300)).toBe('public-data-s5-v300.sqlite');
    expect(first).toMatchObject({ seed: 5, videos: 300 });
    expect(first.db.prepare('SELECT count(*) FROM videos').pluck().get()).toBe(
      300
    );
    expect(() => first.db.exec('DELETE FROM videos')).toThrow();
    first.db.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /generated public data .*300 videos.* in \d+\.\d+ s/
    );
    const modified = statSync(file).mtimeMs;

    const second = openPublicData({
      dataDir: join(dir, 'nested'),
      seed: 5,
      videos: 300,
      log: line => lines.push(line)
    });
    second.db.close();
    expect(lines).toHaveLength(1);
    expect(statSync(file).mtimeMs).toBe(modified);
  });
});
