import { invalidParams } from './body';
import { COMMENTS_LISTED, readCommentList } from './comment-request';
import type { DoorServices } from './door-services';
import { parseFields, shapeRecord } from './fields';
import type { SearchCache } from './searches';
import { readVideoQuery, searchFingerprint } from './video-request';
import { continuedSearch, videoSearchPage } from './video-search';

/**
 * The answers of the video search and the comment list
 * (docs/research/research-api.md §2, §4): read the request, ask the fault
 * plan, page, read and shape the records, count them. The routes
 * (../routes/research-videos.ts) only wire these to their paths.
 */

/** `POST /v2/research/video/query/`: one page of a search (`data`). */
export async function videoQueryAnswer(
  door: DoorServices,
  searches: SearchCache,
  clientKey: string,
  fields: unknown,
  body: unknown
) {
  const queries = door.queries();
  const selection = parseFields(fields, 'video');
  const video = readVideoQuery(body, selection);
  const scope = {
    clientKey,
    endpoint: 'video/query' as const,
    startDate: video.startDate,
    endDate: video.endDate
  };
  // The caller's mistakes first (an unknown or expired search id), then the faults.
  const now = door.context.now().getTime();
  const continued = continuedSearch(video, clientKey, searches, now);
  // Not the search id in the page's key: it differs from run to run, the draws must not.
  const fault = door.pageFault(
    scope,
    [searchFingerprint(video), video.cursor, video.maxCount, video.isRandom],
    video.searchId === null,
    video.searchId
  );
  const page = await videoSearchPage(
    video,
    continued,
    clientKey,
    queries,
    searches,
    now,
    door.context.random
  );
  const empty = fault?.kind === 'empty_results';
  const records = empty
    ? []
    : await queries.run('fetch', {
        category: 'video',
        ids: page.ids,
        // The id too: a fault that alters a record is drawn by its id.
        fields: [...new Set([...selection.columns, 'id'])]
      });
  door.charge(clientKey, records.length);
  return {
    videos: records.map(record =>
      door.faults.alterVideo(
        scope,
        String(record.id),
        shapeRecord(record, selection)
      )
    ),
    cursor: page.cursor,
    has_more: !empty && page.hasMore,
    search_id: page.searchId
  };
}

/** `POST /v2/research/video/comment/list/`: one page of a video's comments, or of a comment's replies (`data`). */
export async function commentListAnswer(
  door: DoorServices,
  clientKey: string,
  fields: unknown,
  body: unknown
) {
  const queries = door.queries();
  const selection = parseFields(fields, 'comment');
  const list = readCommentList(body, selection);
  const scope = { clientKey, endpoint: 'video/comment/list' as const };
  // The caller's mistakes first (a video or comment no one has), then the faults.
  const [parent] = await queries.run('fetch', {
    category: list.parent.kind,
    ids: [list.parent.id],
    fields: ['id']
  });
  if (!parent) {
    throw invalidParams(
      `${list.parent.kind}_id ${list.parent.id} is invalid: cannot find the ${list.parent.kind}.`
    );
  }
  const fault = door.pageFault(
    scope,
    [list.parent, list.cursor, list.maxCount],
    list.cursor === 0
  );
  const refused =
    list.parent.kind === 'video' &&
    door.faults.refusedVideoComments(scope, String(list.parent.id));
  if (refused) {
    throw invalidParams(refused);
  }
  const ids = await queries.run('sortedIds', {
    query: list.query,
    order: 'asc'
  });
  const listed = Math.min(ids.length, COMMENTS_LISTED);
  const end = Math.min(list.cursor + list.maxCount, listed);
  const empty = fault?.kind === 'empty_results';
  const records = empty
    ? []
    : await queries.run('fetch', {
        category: 'comment',
        ids: Array.from(ids.subarray(Math.min(list.cursor, end), end)),
        fields: [...new Set([...selection.columns, 'id'])]
      });
  door.charge(clientKey, records.length);
  const hasMore = !empty && list.cursor + list.maxCount < listed;
  const nullCursor =
    hasMore &&
    door.faults.nullCommentCursor(scope, String(list.parent.id), list.cursor);
  return {
    comments: records.map(record =>
      door.faults.alterComment(
        scope,
        String(record.id),
        shapeRecord(record, selection)
      )
    ),
    cursor: nullCursor ? null : list.cursor + list.maxCount,
    has_more: hasMore
  };
}
