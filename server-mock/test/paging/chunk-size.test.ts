import {
  CHUNK_BYTES,
  FIRST_CHUNK_RECORDS,
  nextChunkRecords,
  pageChunks
} from '../../src/query/page-stream';
import { validateQuery } from '../../src/query/validate';
import { fixtureData } from '../helpers/helpers';
import { addVideos } from './stream-helpers';

/** A page's chunks are ~CHUNK_BYTES whatever the records' width: narrow records many to a chunk, wide ones few. */
describe('chunk sizes', () => {
  it('starts with FIRST_CHUNK_RECORDS, then aims at CHUNK_BYTES at the width seen, within bounds', () => {
    expect(nextChunkRecords(undefined, 0, 0)).toBe(FIRST_CHUNK_RECORDS);
    expect(nextChunkRecords(undefined, 2000 * 84, 2000)).toBe(
      Math.floor(CHUNK_BYTES / 84)
    );
    expect(nextChunkRecords(undefined, 100 * 30_000, 100)).toBe(
      Math.floor(CHUNK_BYTES / 30_000)
    );
    expect(nextChunkRecords(undefined, 10, 10)).toBe(50_000);
    expect(nextChunkRecords(undefined, 10 * 4 * CHUNK_BYTES, 10)).toBe(1);
    expect(nextChunkRecords(7, 999, 3)).toBe(7);
  });

  it('makes chunks of wide records near CHUNK_BYTES and chunks of narrow records many records long', () => {
    const data = fixtureData();
    addVideos(data, 5_000, 2500);
    const chunkSizes = (fields: string) => {
      const validation = validateQuery(
        { category: 'video', fields, limit: 100_000 },
        'job'
      );
      if (!validation.ok) throw new Error('invalid');
      const generator = pageChunks(data, validation.query, null, 100_000);
      const sizes: number[] = [];
      let step = generator.next();
      while (!step.done) {
        sizes.push(step.value.length);
        step = generator.next();
      }
      expect(step.value.count).toBeGreaterThan(5_000);
      return sizes;
    };
    const wide = chunkSizes('id,video_description').slice(1, -1);
    expect(wide.length).toBeGreaterThan(3);
    for (const size of wide) {
      expect(size).toBeLessThan(1.5 * CHUNK_BYTES);
      expect(size).toBeGreaterThan(0.5 * CHUNK_BYTES);
    }
    // Narrow: 2,000 records first, then the rest in one ~1 MiB-wide chunk.
    expect(chunkSizes('id,like_count')).toHaveLength(2);
  });
});
