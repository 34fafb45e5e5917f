import { ApiError } from '../../src/http/errors';
import {
  playlistNotFound,
  readPlaylistBody,
  readUserListBody
} from '../../src/research/user-list-request';

function refusal(read: () => unknown): {
  status: number;
  code: string;
  message: string;
} {
  try {
    read();
  } catch (error) {
    if (error instanceof ApiError) {
      return {
        status: error.statusCode,
        code: error.code,
        message: error.message
      };
    }
    throw error;
  }
  throw new Error('no refusal');
}

describe('readUserListBody', () => {
  it('takes the documented defaults: max_count 20, no cursor', () => {
    expect(readUserListBody({ username: 'a' }, 'time')).toEqual({
      username: 'a',
      maxCount: 20,
      cursor: null
    });
    expect(readUserListBody({ username: 'a' }, 'index')).toEqual({
      username: 'a',
      maxCount: 20,
      cursor: 0
    });
  });

  it('reads what real clients send: null cursor (traktok), 0 on page 1 (ResearchTikPy)', () => {
    expect(
      readUserListBody({ username: 'a', max_count: 100, cursor: null }, 'time')
    ).toEqual({ username: 'a', maxCount: 100, cursor: null });
    expect(
      readUserListBody({ username: 'a', cursor: 0 }, 'time').cursor
    ).toBeNull();
    expect(readUserListBody({ username: 'a', cursor: 0 }, 'index').cursor).toBe(
      0
    );
    expect(
      readUserListBody(
        { username: 'a', cursor: 1706833705, max_count: 7 },
        'time'
      )
    ).toEqual({ username: 'a', maxCount: 7, cursor: 1706833705 });
    // Pinned has no paging: what traktok sends beside the username is ignored, even out of range.
    expect(
      readUserListBody({ username: 'a', max_count: 1000, cursor: -1 }, 'none')
    ).toEqual({ username: 'a', maxCount: 100, cursor: null });
  });

  it('refuses bad bodies with 400 invalid_params naming the key', () => {
    const cases: [unknown, string][] = [
      [{}, 'username is required'],
      [{ username: 7 }, 'username is required'],
      [
        { username: 'a', max_count: 101 },
        'max_count must be an integer from 1 to 100, not 101'
      ],
      [
        { username: 'a', max_count: 0 },
        'max_count must be an integer from 1 to 100, not 0'
      ],
      [{ username: 'a', cursor: -5 }, 'cursor must be an integer from 0'],
      [{ username: 'a', cursor: 'soon' }, 'cursor must be an integer from 0'],
      [
        { username: 'a', search_id: '1' },
        '"search_id" is not a key of this request'
      ],
      [[], 'must be a JSON object']
    ];
    for (const [body, message] of cases) {
      const answer = refusal(() => readUserListBody(body, 'time'));
      expect(answer).toEqual({
        status: 400,
        code: 'invalid_params',
        message: expect.stringContaining(message) as string
      });
    }
  });
});

describe('readPlaylistBody', () => {
  it('takes playlist_id as a number or a string of digits (traktok), cursor 0 and max_count 100 by default', () => {
    expect(readPlaylistBody({ playlist_id: 7400000000000010 })).toEqual({
      playlistId: 7400000000000010,
      maxCount: 100,
      cursor: 0
    });
    expect(
      readPlaylistBody({
        playlist_id: '7400000000000010',
        cursor: null,
        max_count: 5
      })
    ).toEqual({ playlistId: 7400000000000010, maxCount: 5, cursor: 0 });
  });

  it('refuses a missing or malformed playlist_id naming it, and words an unknown one', () => {
    expect(refusal(() => readPlaylistBody({})).message).toContain(
      'playlist_id is required'
    );
    expect(
      refusal(() => readPlaylistBody({ playlist_id: 'abc' })).message
    ).toContain('playlist_id must be a positive integer id');
    expect(playlistNotFound(5).message).toBe(
      '`playlist_id: 5` is invalid: cannot find the playlist'
    );
  });
});
