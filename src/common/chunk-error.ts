/**
 * A part of the extension that loads on first use (its own webpack chunk)
 * could not be fetched: the server or the connection dropped it. What to tell
 * the researcher, in one sentence, instead of webpack's "Loading chunk … failed".
 */
import type { Translate } from './translate';

/** Whether `error` is webpack's failed chunk load (`ChunkLoadError`, or its message). */
export function isChunkLoadError(error: unknown): boolean {
  if (!error || typeof error !== 'object') {
    return typeof error === 'string' && CHUNK_MESSAGE.test(error);
  }
  const { name, message } = error as { name?: unknown; message?: unknown };
  return (
    name === 'ChunkLoadError' ||
    (typeof message === 'string' && CHUNK_MESSAGE.test(message))
  );
}

/**
 * The sentence for a failed load of `part` (translated by the caller, e.g.
 * "the result table"): what happened and what to do.
 */
export function chunkLoadMessage(trans: Translate, part: string): string {
  return trans.__(
    'Part of the VCE extension (%1) could not be loaded from the server: check the connection and try again.',
    part
  );
}

/** `chunkLoadMessage` for a failed chunk load, else the error's own message. */
export function loadErrorMessage(
  trans: Translate,
  part: string,
  error: unknown
): string {
  if (isChunkLoadError(error)) {
    return chunkLoadMessage(trans, part);
  }
  return error instanceof Error ? error.message : String(error);
}

const CHUNK_MESSAGE = /Loading (?:CSS )?chunk \S+ failed/i;
