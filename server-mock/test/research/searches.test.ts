import { SearchCache } from '../../src/research/searches';

describe('SearchCache', () => {
  const ids = (n: number) => new Float64Array(n).map((_, i) => n - i);

  it('finds a search by id for its own client only', () => {
    const cache = new SearchCache();
    const search = cache.create('alice', 'q', ids(3), 0);
    expect(search.id).toMatch(/^7\d{18}$/);
    expect(cache.find(search.id, 'alice', 1)?.ids).toEqual(ids(3));
    expect(cache.find(search.id, 'bob', 1)).toBeNull();
  });

  it('forgets a search ttl after its last use, not after its creation', () => {
    const cache = new SearchCache({ ttlMs: 100 });
    const search = cache.create('alice', 'q', ids(3), 0);
    expect(cache.find(search.id, 'alice', 90)).not.toBeNull();
    expect(cache.find(search.id, 'alice', 180)).not.toBeNull();
    expect(cache.find(search.id, 'alice', 281)).toBeNull();
  });

  it('drops the least recently used searches past its byte budget, never the newest', () => {
    const cache = new SearchCache({ maxBytes: 8 * 25 });
    const first = cache.create('alice', 'a', ids(10), 0);
    const second = cache.create('alice', 'b', ids(10), 1);
    expect(cache.find(first.id, 'alice', 2)).not.toBeNull(); // first is now the most recent
    const third = cache.create('alice', 'c', ids(10), 3);
    expect(cache.find(second.id, 'alice', 4)).toBeNull();
    expect(cache.find(first.id, 'alice', 4)).not.toBeNull();
    expect(cache.find(third.id, 'alice', 4)).not.toBeNull();
    const huge = cache.create('alice', 'd', ids(100), 5);
    expect(cache.find(huge.id, 'alice', 6)).not.toBeNull();
    expect(cache.size).toBe(1);
  });
});
