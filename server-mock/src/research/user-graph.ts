import type { PublicData } from '../data/schema';
import { findUser, userInfos } from './graph/derived';
import { followList } from './graph/follows';
import { indexPage, timePage } from './graph/pages';
import { playlistInfo, type PlaylistInfo } from './graph/playlists';
import {
  likedVideos,
  pinnedVideoIds,
  repostedVideos,
  type VideoKey
} from './graph/videos';

/**
 * What the public data set does not hold but the Research API's user
 * sub-endpoints and playlist info answer (docs/research/research-api.md §5b): a user's liked,
 * pinned and reposted videos, followers and following, and playlists' names.
 * Derived, never stored: pure functions of the data set's seed and ids, so the
 * same seed gives the same answers across restarts and machines. Cheap at
 * 1,000,000 videos: primary-key and index lookups in SQLite, and one pass over
 * an in-memory table of the users (ids and counts, loaded once per data set)
 * for a follow list; never a scan of the videos.
 */

// One page of an endpoint: what the query workers run (../query/worker-ops.ts)

/** The user sub-endpoints (docs/research/research-api.md §5b), by their path's last part. */
export type UserListKind =
  | 'liked_videos'
  | 'pinned_videos'
  | 'reposted_videos'
  | 'followers'
  | 'following';

export interface UserListArgs {
  list: UserListKind;
  username: string;
  /** An index (reposted), a Unix time (liked, followers, following), or null: the first page. */
  cursor: number | null;
  maxCount: number;
  /** The request's time, Unix seconds: a time cursor's default ("the time this request was made", §5b). */
  now: number;
}

/** A page: the videos' ids (video lists) or the users (follow lists), the next cursor, whether there is more. */
export interface UserListAnswer {
  found: boolean;
  videoIds: number[];
  users: { display_name: string; username: string }[];
  cursor: number;
  hasMore: boolean;
}

const NOT_FOUND: UserListAnswer = {
  found: false,
  videoIds: [],
  users: [],
  cursor: 0,
  hasMore: false
};

/** The page a user sub-endpoint answers, or `found: false` when no user has the name. */
export function userListPage(
  data: PublicData,
  args: UserListArgs
): UserListAnswer {
  const user = findUser(data, args.username);
  if (!user) {
    return NOT_FOUND;
  }
  const since = args.cursor ?? args.now;
  switch (args.list) {
    case 'liked_videos': {
      const page = timePage(
        likedVideos(data, user.id),
        video => video.create_time,
        since,
        args.maxCount
      );
      return videoAnswer(page.items, page);
    }
    case 'reposted_videos': {
      const page = indexPage(
        repostedVideos(data, user.id),
        args.cursor ?? 0,
        args.maxCount
      );
      return videoAnswer(page.items, page);
    }
    case 'pinned_videos':
      return {
        found: true,
        videoIds: pinnedVideoIds(data, user),
        users: [],
        cursor: 0,
        hasMore: false
      };
    case 'followers':
    case 'following': {
      const page = timePage(
        followList(data, user.id, args.list),
        follow => follow.time,
        since,
        args.maxCount
      );
      return {
        found: true,
        videoIds: [],
        users: userInfos(
          data,
          page.items.map(follow => follow.userId)
        ),
        cursor: page.cursor,
        hasMore: page.hasMore
      };
    }
  }
}

function videoAnswer(
  videos: readonly VideoKey[],
  page: { cursor: number; hasMore: boolean }
): UserListAnswer {
  return {
    found: true,
    videoIds: videos.map(video => video.id),
    users: [],
    cursor: page.cursor,
    hasMore: page.hasMore
  };
}

export interface PlaylistArgs {
  playlistId: number;
  cursor: number;
  maxCount: number;
}

/** Playlist info with one page of its video ids (an index cursor), or null when no video has the id. */
export function playlistPage(
  data: PublicData,
  args: PlaylistArgs
): (PlaylistInfo & { cursor: number; has_more: boolean }) | null {
  const info = playlistInfo(data, args.playlistId);
  if (!info) {
    return null;
  }
  const page = indexPage(info.playlist_video_ids, args.cursor, args.maxCount);
  return {
    ...info,
    playlist_video_ids: page.items,
    cursor: page.cursor,
    has_more: page.hasMore
  };
}
