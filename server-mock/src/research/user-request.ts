import { CATALOGUE } from '../query/catalogue';
import type { TypedQuery } from '../query/typed-query';
import { bodyObject, invalidParams, onlyKeys } from './body';

/**
 * The body of `POST /v2/research/user/info/`: `{"username": …}`
 * (docs/research/research-api.md §5; the newest page also takes `open_id`,
 * which this data set has no values for: the message says to send the
 * username). Pure.
 */
export function readUsername(raw: unknown): string {
  const body = bodyObject(raw, '{"username": "cookie_love_122"}');
  onlyKeys(body, ['username', 'open_id']);
  if (body.username === undefined && body.open_id !== undefined) {
    throw invalidParams(
      'open_id is not searchable on this platform stand-in: send the username, e.g. {"username": "cookie_love_122"}.'
    );
  }
  const username = body.username;
  if (
    typeof username !== 'string' ||
    !username.trim() ||
    username.length > 256
  ) {
    throw invalidParams(
      'username is required: the user\'s username as a string, e.g. {"username": "cookie_love_122"}.'
    );
  }
  return username.trim();
}

/** §5 (C4D's notebook): the platform's words when no user has the name. */
export function userNotFound(username: string): Error {
  return invalidParams(
    `\`username: ${username.slice(0, 100)}\` is invalid: cannot find the user`
  );
}

/** The engine's query for the user of a username (exact, as the VCE's `username` EQ). */
export function userQuery(username: string): TypedQuery {
  return {
    category: 'user',
    groups: [
      {
        operator: 'and',
        conditions: [
          {
            field: 'username',
            spec: CATALOGUE.user.conditions.username,
            operation: 'EQ',
            values: [username]
          }
        ]
      }
    ],
    fields: [],
    limit: 1,
    timeRange: null,
    cursor: null
  };
}
