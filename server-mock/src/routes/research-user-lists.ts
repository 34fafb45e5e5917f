import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { requireData } from '../http/guards';
import { ok } from '../http/reply';
import { RESEARCH_ROUTE, fieldsParam } from '../http/research-door';
import type { QueryRunner } from '../query/pool';
import { invalidParams } from '../research/body';
import { faultError } from '../research/fault-answers';
import { requestKey } from '../research/faults';
import { parseFields, shapeRecord } from '../research/fields';
import type { UserListKind } from '../research/user-graph';
import {
  playlistNotFound,
  readPlaylistBody,
  readPlaylistFields,
  readUserListBody,
  type CursorKind
} from '../research/user-list-request';
import { userNotFound } from '../research/user-request';

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
 * its seed by ../research/user-graph.ts in the query workers; the videos read
 * and shaped as the video search's. Followers and following count against
 * their own bucket (docs/research/research-api.md §6: 20,000 calls and 2M records a day).
 */
export function registerResearchUserListRoutes(
  app: FastifyInstance,
  context: PlatformContext,
  queries: QueryRunner | null
): void {
  const nowSeconds = () => Math.floor(context.now().getTime() / 1000);
  const faults = context.researchFaults;

  /**
   * Faults on a switch (README): a request-level fault once the request was
   * admitted (and counted), as user info's; null or `empty_results` go on.
   */
  const requestFault = (
    scope: {
      clientKey: string;
      endpoint: `user/${UserListKind}` | 'playlist/info';
    },
    page: unknown,
    firstPage: boolean
  ) => {
    const fault = faults.requestFault({
      ...scope,
      page: requestKey(page),
      firstPage
    });
    const refusal = fault && faultError(fault, null);
    if (refusal) {
      throw refusal;
    }
    return fault;
  };

  for (const { list, cursor, key } of VIDEO_LISTS) {
    app.post(userListPath(list), { config: RESEARCH_ROUTE }, async request => {
      requireData(context);
      const selection = parseFields(fieldsParam(request), 'video');
      const body = readUserListBody(request.body, cursor);
      const scope = {
        clientKey: request.clientKey,
        endpoint: `user/${list}` as const
      };
      const fault = requestFault(
        scope,
        [body.username, body.cursor, body.maxCount],
        !body.cursor
      );
      const page = await queries!.run('researchUserList', {
        list,
        username: body.username,
        cursor: body.cursor,
        maxCount: body.maxCount,
        now: nowSeconds()
      });
      if (!page.found) {
        throw userNotFound(body.username);
      }
      const refused = faults.refusedUser(scope, body.username);
      if (refused) {
        throw invalidParams(refused);
      }
      const empty = fault?.kind === 'empty_results';
      const records = empty
        ? []
        : await queries!.run('fetch', {
            category: 'video',
            ids: page.videoIds,
            // The id too: a fault that alters a record is drawn by its id.
            fields: [...new Set([...selection.columns, 'id'])]
          });
      context.researchMeter.chargeRecords(
        request.clientKey,
        'research',
        records.length
      );
      const videos = records.map(record =>
        faults.alterVideo(
          scope,
          String(record.id),
          shapeRecord(record, selection)
        )
      );
      return ok(
        cursor === 'none'
          ? { [key]: videos }
          : {
              [key]: videos,
              cursor: page.cursor,
              has_more: !empty && page.hasMore
            },
        request.id
      );
    });
  }

  for (const { list, key } of FOLLOW_LISTS) {
    app.post(userListPath(list), { config: RESEARCH_ROUTE }, async request => {
      requireData(context);
      const body = readUserListBody(request.body, 'time');
      const scope = {
        clientKey: request.clientKey,
        endpoint: `user/${list}` as const
      };
      const fault = requestFault(
        scope,
        [body.username, body.cursor, body.maxCount],
        !body.cursor
      );
      const page = await queries!.run('researchUserList', {
        list,
        username: body.username,
        cursor: body.cursor,
        maxCount: body.maxCount,
        now: nowSeconds()
      });
      if (!page.found) {
        throw userNotFound(body.username);
      }
      const refused = faults.refusedUser(scope, body.username);
      if (refused) {
        throw invalidParams(refused);
      }
      const empty = fault?.kind === 'empty_results';
      const users = empty ? [] : page.users;
      context.researchMeter.chargeRecords(
        request.clientKey,
        'follow',
        users.length
      );
      return ok(
        {
          [key]: users.map(user =>
            faults.alterUser(scope, user.username, user)
          ),
          cursor: page.cursor,
          has_more: !empty && page.hasMore
        },
        request.id
      );
    });
  }

  app.post(PLAYLIST_INFO_PATH, { config: RESEARCH_ROUTE }, async request => {
    requireData(context);
    const fields = readPlaylistFields(fieldsParam(request));
    const body = readPlaylistBody(request.body);
    requestFault(
      { clientKey: request.clientKey, endpoint: 'playlist/info' },
      [body.playlistId, body.cursor, body.maxCount],
      body.cursor === 0
    );
    const page = await queries!.run('researchPlaylist', {
      playlistId: body.playlistId,
      cursor: body.cursor,
      maxCount: body.maxCount
    });
    if (!page) {
      throw playlistNotFound(body.playlistId);
    }
    // One record: the playlist.
    context.researchMeter.chargeRecords(request.clientKey, 'research', 1);
    const data: Record<string, unknown> = {};
    for (const field of fields) {
      data[field] = page[field];
    }
    return ok(
      { ...data, cursor: page.cursor, has_more: page.has_more },
      request.id
    );
  });
}
