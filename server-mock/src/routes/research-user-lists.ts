import type { FastifyInstance } from 'fastify';
import { ok } from '../http/reply';
import { RESEARCH_ROUTE, fieldsParam } from '../http/research-door';
import type { DoorServices } from '../research/door-services';
import {
  followListAnswer,
  playlistAnswer,
  userVideoListAnswer
} from '../research/user-answers';
import type { UserListKind } from '../research/user-graph';
import type { CursorKind } from '../research/user-list-request';

export const PLAYLIST_INFO_PATH = '/v2/research/playlist/info/';

/**
 * The user sub-endpoints: path, how each pages and the key of its list in
 * `data` (docs/research/research-api.md §5b: `reposted_videos` as the page's
 * example and every client read it, not its table's `user_reposted_videos`).
 */
const VIDEO_LISTS: readonly {
  list: UserListKind;
  cursor: CursorKind;
  key: string;
}[] = [
  { list: 'liked_videos', cursor: 'time', key: 'user_liked_videos' },
  { list: 'pinned_videos', cursor: 'none', key: 'pinned_videos_list' },
  { list: 'reposted_videos', cursor: 'index', key: 'reposted_videos' }
];
const FOLLOW_LISTS: readonly {
  list: 'followers' | 'following';
  key: string;
}[] = [
  { list: 'followers', key: 'user_followers' },
  { list: 'following', key: 'user_following' }
];

export const userListPath = (list: UserListKind) =>
  `/v2/research/user/${list}/`;

/**
 * `POST /v2/research/user/{liked_videos,pinned_videos,reposted_videos,
 * followers,following}/` and `POST /v2/research/playlist/info/`: what the
 * data set holds no table for (likes, pins, reposts, follows), derived from
 * its seed by ../research/user-graph.ts in the query workers
 * (../research/user-answers.ts); the videos read and shaped as the video
 * search's. Followers and following count against their own bucket
 * (docs/research/research-api.md §6: 20,000 calls and 2M records a day).
 */
export function registerResearchUserListRoutes(
  app: FastifyInstance,
  door: DoorServices
): void {
  for (const { list, cursor, key } of VIDEO_LISTS) {
    app.post(userListPath(list), { config: RESEARCH_ROUTE }, async request =>
      ok(
        await userVideoListAnswer(
          door,
          list,
          cursor,
          key,
          request.clientKey,
          fieldsParam(request),
          request.body
        ),
        request.id
      )
    );
  }
  for (const { list, key } of FOLLOW_LISTS) {
    app.post(userListPath(list), { config: RESEARCH_ROUTE }, async request =>
      ok(
        await followListAnswer(
          door,
          list,
          key,
          request.clientKey,
          request.body
        ),
        request.id
      )
    );
  }
  app.post(PLAYLIST_INFO_PATH, { config: RESEARCH_ROUTE }, async request =>
    ok(
      await playlistAnswer(
        door,
        request.clientKey,
        fieldsParam(request),
        request.body
      ),
      request.id
    )
  );
}
