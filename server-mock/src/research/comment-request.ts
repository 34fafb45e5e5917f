import type { TypedQuery } from '../query/typed-query';
import { CATALOGUE } from '../query/catalogue';
import {
  bodyObject,
  invalidParams,
  onlyKeys,
  maxCountOf,
  optionalInteger,
  requiredId
} from './body';
import type { FieldSelection } from './fields';

/**
 * The body of `POST /v2/research/video/comment/list/` → the comments to list
 * and the page. Pure. Facts: docs/research/research-api.md §4: `video_id`
 * (or, in the newer page, `comment_id` for a comment's replies: one or the
 * other), `max_count` default 10 and at most 100, `cursor` an index; only a
 * video's top 1,000 comments are listed: cursor + max_count ≤ 1,000.
 */

export const COMMENT_MAX_COUNT = { fallback: 10, max: 100 } as const;
export const COMMENTS_LISTED = 1000;
const BODY_KEYS = ['video_id', 'comment_id', 'max_count', 'cursor'] as const;
const EXAMPLE =
  '{"video_id": 7101234567890123456, "max_count": 100, "cursor": 0}';

export interface CommentListRequest {
  /** Comments of this video, or replies to this comment. */
  parent: { kind: 'video' | 'comment'; id: number };
  /** The engine's query: comments of the video (or replies), the selection's columns. */
  query: TypedQuery;
  maxCount: number;
  cursor: number;
}

export function readCommentList(
  raw: unknown,
  selection: FieldSelection
): CommentListRequest {
  const body = bodyObject(raw, EXAMPLE);
  onlyKeys(body, BODY_KEYS);
  const hasVideo = body.video_id !== undefined && body.video_id !== null;
  const hasComment = body.comment_id !== undefined && body.comment_id !== null;
  if (hasVideo === hasComment) {
    throw invalidParams(
      `Send video_id (the comments of a video) or comment_id (the replies to a comment), one of them, e.g. ${EXAMPLE}.`
    );
  }
  const parent = hasVideo
    ? { kind: 'video' as const, id: requiredId(body, 'video_id') }
    : { kind: 'comment' as const, id: requiredId(body, 'comment_id') };
  const maxCount = maxCountOf(body, COMMENT_MAX_COUNT);
  const cursor = optionalInteger(
    body,
    'cursor',
    { min: 0, max: COMMENTS_LISTED - 1 },
    0
  );
  if (cursor + maxCount > COMMENTS_LISTED) {
    throw invalidParams(
      `cursor + max_count is ${cursor + maxCount}: only the top ${COMMENTS_LISTED.toLocaleString('en-US')} comments are listed, so it must be at most ${COMMENTS_LISTED}; lower max_count to ${COMMENTS_LISTED - cursor}.`
    );
  }
  const field = parent.kind === 'video' ? 'video_id' : 'parent_comment_id';
  return {
    parent,
    query: {
      category: 'comment',
      groups: [
        {
          operator: 'and',
          conditions: [
            {
              field,
              spec: CATALOGUE.comment.conditions[field],
              operation: 'EQ',
              values: [parent.id]
            }
          ]
        }
      ],
      fields: selection.columns,
      limit: maxCount,
      timeRange: null,
      cursor: null
    },
    maxCount,
    cursor
  };
}
