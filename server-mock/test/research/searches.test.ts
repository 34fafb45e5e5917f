import {
  SEARCH_OVERHEAD_BYTES,
  SearchCache
} from '../../src/research/searches';

describe('SearchCache', () => {
  const ids = (n: number) => new Float64Array(n).map((_, i) => n - i);

  it('finds a search by id for its own client and query only', () => {
    const cache = new SearchCache();
    const search = cache.create('alice', 'q', ids(3), 0);
    expect(search.id).toMatch(/^7\d{18}$/);
    expect(cache.find(search.id, 'alice', 'q', 1)?.ids).toEqual(ids(3));
    expect(cache.find(search.id, 'bob', 'q', 1)).toBeNull();
    expect(cache.find(search.id, 'alice', 'another query', 1)).toBeNull();
  });

  it('keeps a hash of the query, not the query itself (a query may be a megabyte)', () => {
    const cache = new SearchCache();
    const long = 'x'.repeat(100_000);
    const search = cache.create('alice', long, ids(1), 0);
    expect(search.fingerprint.length).toBeLessThan(64);
    expect(cache.find(search.id, 'alice', long, 1)).not.toBeNull();
  });

  it('forgets a search ttl after its last use, not after its creation', () => {
    const cache = new SearchCache({ ttlMs: 100 });
    const search = cache.create('alice', 'q', ids(3), 0);
    expect(cache.find(search.id, 'alice', 'q', 90)).not.toBeNull();
    expect(cache.find(search.id, 'alice', 'q', 180)).not.toBeNull();
    expect(cache.find(search.id, 'alice', 'q', 281)).toBeNull();
  });

  it('drops the least recently used searches past its byte budget, never the newest', () => {
    const cache = new SearchCache({
      maxBytes: 8 * 25 + 2 * SEARCH_OVERHEAD_BYTES
    });
    const first = cache.create('alice', 'a', ids(10), 0);
    const second = cache.create('alice', 'b', ids(10), 1);
    expect(cache.find(first.id, 'alice', 'a', 2)).not.toBeNull(); // first is now the most recent
    const third = cache.create('alice', 'c', ids(10), 3);
    expect(cache.find(second.id, 'alice', 'b', 4)).toBeNull();
    expect(cache.find(first.id, 'alice', 'a', 4)).not.toBeNull();
    expect(cache.find(third.id, 'alice', 'c', 4)).not.toBeNull();
    const huge = cache.create('alice', 'd', ids(100), 5);
    expect(cache.find(huge.id, 'alice', 'd', 6)).not.toBeNull();
    expect(cache.size).toBe(1);
  });

  it('counts empty searches against the budget too', () => {
    const cache = new SearchCache({ maxBytes: 10 * SEARCH_OVERHEAD_BYTES });
    for (let i = 0; i < 100; i++) {
      cache.create('alice', `q${i}`, ids(0), i);
    }
    expect(cache.size).toBe(10);
  });
});
