/**
 * A part of the extension that could not be loaded (webpack's ChunkLoadError)
 * is told in one researcher-readable sentence, not "Loading chunk … failed".
 */
import { Notification } from '@jupyterlab/apputils';
import {
  chunkLoadMessage,
  isChunkLoadError,
  loadErrorMessage
} from '../../common/chunk-error';
import { notifyLoadFailure } from '../../common/load-failure';
import { plainTranslate } from '../../common/translate';
import { chunkLoadError } from '../helpers/chunk';

describe('isChunkLoadError', () => {
  it("recognises webpack's ChunkLoadError by its name or its message", () => {
    expect(isChunkLoadError(chunkLoadError())).toBe(true);
    const named = new Error('whatever');
    named.name = 'ChunkLoadError';
    expect(isChunkLoadError(named)).toBe(true);
    expect(
      isChunkLoadError(new Error('Loading chunk lib_renderer_table_js failed.'))
    ).toBe(true);
    expect(isChunkLoadError(new Error('Loading CSS chunk 812 failed.'))).toBe(
      true
    );
  });

  it('leaves other errors alone', () => {
    expect(isChunkLoadError(new Error('Permission denied'))).toBe(false);
    expect(isChunkLoadError(null)).toBe(false);
    expect(isChunkLoadError(undefined)).toBe(false);
    expect(isChunkLoadError('Not found')).toBe(false);
  });
});

describe('the sentence', () => {
  it('names the part and says to try again', () => {
    expect(chunkLoadMessage(plainTranslate, 'the Inbox')).toBe(
      'Part of the VCE extension (the Inbox) could not be loaded from the server: check the connection and try again.'
    );
    expect(
      loadErrorMessage(plainTranslate, 'the Inbox', chunkLoadError())
    ).not.toMatch(/chunk/i);
  });

  it("keeps another error's own message", () => {
    expect(
      loadErrorMessage(plainTranslate, 'the Inbox', new Error('Forbidden'))
    ).toBe('Forbidden');
  });
});

describe('notifyLoadFailure', () => {
  it('notifies what could not be opened, in words', () => {
    const error = jest.spyOn(Notification, 'error').mockReturnValue('id');
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    notifyLoadFailure(
      plainTranslate,
      'the connection details',
      chunkLoadError()
    );
    expect(error).toHaveBeenCalledTimes(1);
    const message = error.mock.calls[0][0];
    expect(message).toContain('The connection details could not be opened.');
    expect(message).toContain('try again');
    expect(message).not.toMatch(/chunk/i);
    error.mockRestore();
    log.mockRestore();
  });
});
