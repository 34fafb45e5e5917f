import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISavedResults } from '../api/types';
import { bytes } from './format';

/**
 * The notice after *Download into workspace*: the folder written, and when it
 * is not the first choice, why (that name is taken, by an earlier download or
 * anything else, and left as it is).
 */
export function savedNotice(
  trans: TranslationBundle,
  saved: Pick<ISavedResults, 'files' | 'archive_bytes' | 'folder'> & {
    already_there?: string | null;
  }
): string {
  const wrote = trans.__(
    'Saved %1 files (%2) into %3/.',
    saved.files.length,
    bytes(saved.archive_bytes),
    saved.folder
  );
  if (!saved.already_there) {
    return wrote;
  }
  return `${wrote} ${trans.__(
    '%1 already exists (an earlier download of these results, or a file of yours), so this copy went beside it; nothing was overwritten.',
    saved.already_there
  )}`;
}
