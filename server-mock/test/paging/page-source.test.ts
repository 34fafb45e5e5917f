import {
  poolPageSource,
  type PoolPageStream
} from '../../src/query/page-source';
import type { PageSummary } from '../../src/query/page-stream';

/** A stand-in for the worker pool's stream: chunks, then the summary (null if stopped early). */
function fakeStream(chunks: string[], summary: PageSummary) {
  const state = { taken: 0, stopped: false };
  let settle: (value: PageSummary | null) => void = () => undefined;
  const stream: PoolPageStream = {
    summary: new Promise(resolve => (settle = resolve)),
    [Symbol.asyncIterator]() {
      return {
        next: () => {
          if (state.taken < chunks.length) {
            return Promise.resolve({
              done: false,
              value: Buffer.from(chunks[state.taken++])
            });
          }
          settle(summary);
          return Promise.resolve({ done: true, value: undefined });
        },
        return: () => {
          state.stopped = true;
          settle(null);
          return Promise.resolve({ done: true, value: undefined });
        }
      };
    }
  };
  return { stream, state };
}

describe('a page from the worker pool', () => {
  it('gives the chunks in order, then the summary as the return value', async () => {
    const summary = { count: 3, lastId: 9, hasMore: true };
    const { stream } = fakeStream(['{"id":1}', ',{"id":5},{"id":9}'], summary);
    const source = poolPageSource(stream);
    const seen: string[] = [];
    for (;;) {
      const step = await source.next();
      if (step.done) {
        expect(step.value).toEqual(summary);
        break;
      }
      seen.push(step.value.toString());
    }
    expect(seen).toEqual(['{"id":1}', ',{"id":5},{"id":9}']);
  });

  it('stopped early, it stops the worker’s stream', async () => {
    const { stream, state } = fakeStream(['a', 'b', 'c'], {
      count: 3,
      lastId: 3,
      hasMore: false
    });
    const source = poolPageSource(stream);
    await source.next();
    await source.return();
    expect(state).toEqual({ taken: 1, stopped: true });
  });
});
