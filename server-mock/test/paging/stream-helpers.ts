import * as source from '../../src/query/page-source';
import type { PublicData } from '../../src/data/schema';

/** Adds `count` videos after the fixture's, each with a description of `descriptionBytes` characters. */
export function addVideos(
  data: PublicData,
  count: number,
  descriptionBytes: number
): void {
  const db = data.db;
  const template = db
    .prepare('SELECT * FROM videos ORDER BY id LIMIT 1')
    .get() as Record<string, unknown>;
  const columns = Object.keys(template);
  const insert = db.prepare(
    `INSERT INTO videos (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
  );
  const description = 'x'.repeat(descriptionBytes);
  db.transaction(() => {
    for (let index = 0; index < count; index++) {
      const row: Record<string, unknown> = {
        ...template,
        id: 8_000_000_000_000_000 + index,
        video_description: description
      };
      insert.run(...columns.map(column => row[column]));
    }
  })();
}

/** Resolves once `read()` has kept the same value through `quietMs` of polling. */
export async function settled(
  read: () => number,
  quietMs = 300
): Promise<number> {
  let last = read();
  let stableSince = Date.now();
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, 25));
    const now = read();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) {
      return now;
    }
  }
}

/** Counts the chunks the route takes from its page source, and whether it was stopped. */
export function watchSources(chunkRecords?: number, way?: 'keyset' | 'rows') {
  const seen = { chunks: 0, returned: 0, done: 0 };
  const real = source.openPageSource;
  const spy = jest
    .spyOn(source, 'pageSource')
    .mockImplementation((data, query, afterId, limit) => {
      const opened = real(data, query, afterId, limit, { chunkRecords, way });
      return {
        next: async () => {
          const step = await opened.next();
          if (step.done) seen.done++;
          else seen.chunks++;
          return step;
        },
        return: async () => {
          seen.returned++;
          return opened.return();
        }
      };
    });
  return { seen, restore: () => spy.mockRestore() };
}
