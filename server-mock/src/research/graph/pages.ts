/** Paging a derived list (../user-graph.ts). */
// Paging

/** One page: its items, the cursor to send for the next one, and whether there is one. */
export interface Page<T> {
  items: T[];
  cursor: number;
  hasMore: boolean;
}

/**
 * A page of a list sorted by a time, newest first, for a cursor meaning "on
 * or before this time" (liked videos, followers, following:
 * docs/research/research-api.md §5b). The next cursor is the last item's time minus one, so
 * a client that sends it back gets each item once; a page never splits a run
 * of equal times (it ends before the run, or, when the run starts the page,
 * takes it whole even past `maxCount`).
 */
export function timePage<T>(
  items: readonly T[],
  timeOf: (item: T) => number,
  cursor: number,
  maxCount: number
): Page<T> {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeOf(items[middle]) > cursor) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  const start = low;
  let end = Math.min(start + maxCount, items.length);
  if (end > start && end < items.length) {
    const boundary = timeOf(items[end]);
    if (timeOf(items[end - 1]) === boundary) {
      let runStart = end - 1;
      while (runStart > start && timeOf(items[runStart - 1]) === boundary) {
        runStart -= 1;
      }
      if (runStart > start) {
        end = runStart;
      } else {
        while (end < items.length && timeOf(items[end]) === boundary) {
          end += 1;
        }
      }
    }
  }
  return {
    items: items.slice(start, end),
    cursor: end > start ? timeOf(items[end - 1]) - 1 : cursor,
    hasMore: end < items.length
  };
}

/** A page of a list by index (reposted videos, playlists): the next cursor is the next index. */
export function indexPage<T>(
  items: readonly T[],
  cursor: number,
  maxCount: number
): Page<T> {
  const start = Math.max(0, Math.min(cursor, items.length));
  const end = Math.min(start + maxCount, items.length);
  return {
    items: items.slice(start, end),
    cursor: end,
    hasMore: end < items.length
  };
}
