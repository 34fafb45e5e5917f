import { invalidParams } from './body';
import type { DoorServices } from './door-services';
import { parseFields, shapeRecord } from './fields';
import type { UserListKind } from './user-graph';
import {
  playlistNotFound,
  readPlaylistBody,
  readPlaylistFields,
  readUserListBody,
  type CursorKind
} from './user-list-request';
import { readUsername, userNotFound, userQuery } from './user-request';

/**
 * The answers of the user endpoints and playlist info
 * (docs/research/research-api.md §5, §5b): user info from the users table;
 * liked, pinned and reposted videos, followers, following and playlists from
 * what ./user-graph.ts derives from the data's seed, in the query workers.
 * The routes (../routes/research-users.ts, research-user-lists.ts) only wire
 * these to their paths.
 */

/** `POST /v2/research/user/info/`: the profile, flat (`data`). */
export async function userInfoAnswer(
  door: DoorServices,
  clientKey: string,
  fields: unknown,
  body: unknown
) {
  const queries = door.queries();
  const selection = parseFields(fields, 'user');
  const username = readUsername(body);
  const scope = { clientKey, endpoint: 'user/info' as const };
  const ids = await queries.run('sortedIds', {
    query: userQuery(username),
    order: 'asc'
  });
  // The caller's mistake (no such user) first, then the faults.
  if (ids.length === 0) {
    throw userNotFound(username);
  }
  door.pageFault(scope, username, true);
  const refused = door.faults.refusedUser(scope, username);
  if (refused) {
    throw invalidParams(refused);
  }
  const [user] = await queries.run('fetch', {
    category: 'user',
    ids: [ids[0]],
    fields: selection.columns
  });
  door.charge(clientKey, 1);
  return door.faults.alterUser(scope, username, shapeRecord(user, selection));
}

/** A user's page of a list, found and not refused, or the 400 that says why not. */
async function foundUserListPage(
  door: DoorServices,
  scope: { clientKey: string; endpoint: `user/${UserListKind}` },
  list: UserListKind,
  body: unknown,
  cursorKind: CursorKind
) {
  const request = readUserListBody(body, cursorKind);
  const page = await door.queries().run('researchUserList', {
    list,
    username: request.username,
    cursor: request.cursor,
    maxCount: request.maxCount,
    now: door.nowSeconds()
  });
  // The caller's mistake (no such user) first, then the faults.
  if (!page.found) {
    throw userNotFound(request.username);
  }
  const fault = door.pageFault(
    scope,
    [request.username, request.cursor, request.maxCount],
    !request.cursor
  );
  const refused = door.faults.refusedUser(scope, request.username);
  if (refused) {
    throw invalidParams(refused);
  }
  return { page, empty: fault?.kind === 'empty_results' };
}

/**
 * `POST /v2/research/user/{liked_videos,pinned_videos,reposted_videos}/`: a
 * page of the user's videos under `key`, with `cursor` and `has_more` unless
 * the list is not paged (pinned).
 */
export async function userVideoListAnswer(
  door: DoorServices,
  list: UserListKind,
  cursorKind: CursorKind,
  key: string,
  clientKey: string,
  fields: unknown,
  body: unknown
) {
  const selection = parseFields(fields, 'video');
  const scope = { clientKey, endpoint: `user/${list}` as const };
  const { page, empty } = await foundUserListPage(
    door,
    scope,
    list,
    body,
    cursorKind
  );
  const records = empty
    ? []
    : await door.queries().run('fetch', {
        category: 'video',
        ids: page.videoIds,
        // The id too: a fault that alters a record is drawn by its id.
        fields: [...new Set([...selection.columns, 'id'])]
      });
  door.charge(clientKey, records.length);
  const videos = records.map(record =>
    door.faults.alterVideo(
      scope,
      String(record.id),
      shapeRecord(record, selection)
    )
  );
  return cursorKind === 'none'
    ? { [key]: videos }
    : { [key]: videos, cursor: page.cursor, has_more: !empty && page.hasMore };
}

/**
 * `POST /v2/research/user/{followers,following}/`: a page of users under
 * `key`, counted against their own bucket (docs/research/research-api.md §6:
 * 20,000 calls and 2M records a day).
 */
export async function followListAnswer(
  door: DoorServices,
  list: 'followers' | 'following',
  key: string,
  clientKey: string,
  body: unknown
) {
  const scope = { clientKey, endpoint: `user/${list}` as const };
  const { page, empty } = await foundUserListPage(
    door,
    scope,
    list,
    body,
    'time'
  );
  const users = empty ? [] : page.users;
  door.charge(clientKey, users.length, 'follow');
  return {
    [key]: users.map(user => door.faults.alterUser(scope, user.username, user)),
    cursor: page.cursor,
    has_more: !empty && page.hasMore
  };
}

/** `POST /v2/research/playlist/info/`: the playlist, flat, one record. */
export async function playlistAnswer(
  door: DoorServices,
  clientKey: string,
  fields: unknown,
  body: unknown
) {
  const queries = door.queries();
  const names = readPlaylistFields(fields);
  const request = readPlaylistBody(body);
  const page = await queries.run('researchPlaylist', {
    playlistId: request.playlistId,
    cursor: request.cursor,
    maxCount: request.maxCount
  });
  // The caller's mistake (no such playlist) first, then the faults.
  if (!page) {
    throw playlistNotFound(request.playlistId);
  }
  door.pageFault(
    { clientKey, endpoint: 'playlist/info' },
    [request.playlistId, request.cursor, request.maxCount],
    request.cursor === 0
  );
  door.charge(clientKey, 1);
  const data: Record<string, unknown> = {};
  for (const name of names) {
    data[name] = page[name];
  }
  return { ...data, cursor: page.cursor, has_more: page.has_more };
}
