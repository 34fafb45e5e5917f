/** The sizes of the derived lists (docs/research/research-api.md §5b, §8). */
/**
 * The most followers (or followings) a list gives: the real API stops near
 * 5,000 ("no more than 5,000 followers of one user", "approximately 4,000 to
 * 5,000 followers for accounts that have millions": github.com/HohnerJulian/ResearchTikPy/issues/2;
 * docs/research/research-api.md §8). The newest are kept.
 */
export const FOLLOW_LIST_CAP = 5000;
/** The most liked videos a user has in the stand-in (the count is drawn, median 30). */
export const MAX_LIKED = 2000;
/** The most reposted videos a user has in the stand-in (median 6). */
export const MAX_REPOSTED = 300;
/** The most pinned videos: the app pins at most 3 (docs/research/research-api.md §5b). */
export const MAX_PINNED = 3;
