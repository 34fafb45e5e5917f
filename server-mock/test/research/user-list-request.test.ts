import { ApiError } from '../../src/http/errors';
import {
  readPlaylistBody,
  readUserListBody,
  unknownUser
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
  });

  it('reads what real clients send: null cursor (traktok), 0 on page 1 (ResearchTikPy), int64 strings', () => {
    expect(
      readUserListBody({ username: 'a', max_count: 100, cursor: null }, 'time')
        .cursor
    ).toBeNull();
    expect(
      readUserListBody({ username: 'a', cursor: 0 }, 'time').cursor
    ).toBeNull();
    expect(readUserListBody({ username: 'a', cursor: 0 }, 'index').cursor).toBe(
      0
    );
    expect(
      readUserListBody(
        { username: 'a', cursor: '1706833705', max_count: '7' },
        'time'
      )
    ).toEqual({
      username: 'a',
      maxCount: 7,
      cursor: 1706833705
    });
    // Pinned has no paging: what traktok sends beside the username is ignored, even when out of range.
    expect(
      readUserListBody({ username: 'a', max_count: 1000, cursor: -1 }, 'none')
    ).toEqual({
      username: 'a',
      maxCount: 100,
      cursor: null
    });
  });

  it('refuses bad values with 400 invalid_params naming the field', () => {
    const cases: [unknown, string][] = [
      [{}, '`username` is missing'],
      [{ username: 7 }, '`username: 7` is invalid'],
      [{ username: 'a', max_count: 101 }, '`max_count: 101` is invalid'],
      [{ username: 'a', max_count: 0 }, '`max_count: 0` is invalid'],
      [{ username: 'a', max_count: 2.5 }, '`max_count: 2.5` is invalid'],
      [{ username: 'a', cursor: -5 }, '`cursor: -5` is invalid'],
      [{ username: 'a', cursor: 'soon' }, '`cursor: "soon"` is invalid'],
      [[], 'must be a JSON object'],
      ['x', 'must be a JSON object']
    ];
    for (const [body, message] of cases) {
      const answer = refusal(() => readUserListBody(body, 'time'));
      expect(answer.status).toBe(400);
      expect(answer.code).toBe('invalid_params');
      expect(answer.message).toContain(message);
    }
  });

  it('words an unknown user as the real API does', () => {
    expect(unknownUser('lil_peeve').message).toBe(
      '`username: lil_peeve` is invalid: cannot find the user'
    );
  });
});

describe('readPlaylistBody', () => {
  it('takes playlist_id as a number or a string of digits, cursor 0 and max_count 100 by default', () => {
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
    ).toEqual({
      playlistId: 7400000000000010,
      maxCount: 5,
      cursor: 0
    });
  });

  it('refuses a missing or malformed playlist_id naming it', () => {
    expect(refusal(() => readPlaylistBody({})).message).toContain(
      '`playlist_id` is missing'
    );
    expect(
      refusal(() => readPlaylistBody({ playlist_id: 'abc' })).message
    ).toContain('`playlist_id: "abc"` is invalid');
  });
});
