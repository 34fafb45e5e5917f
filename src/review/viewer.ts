/**
 * Which JupyterLab viewer shows a file a reviewer opens: pure, so the choice
 * is tested without a lab. The names are the document widget factories of
 * JupyterLab 4's own extensions (csvviewer, imageviewer, fileeditor).
 */
import type { ReviewOutput } from '../api/types';

/** The CSV viewer (@jupyterlab/csvviewer-extension). */
export const CSV_VIEWER = 'CSVTable';
/** The image viewer for bitmaps (@jupyterlab/imageviewer-extension, base64 model). */
export const IMAGE_VIEWER = 'Image';
/** The image viewer for SVG (the same extension, text model: its default for .svg). */
export const SVG_VIEWER = 'Image (Text)';
/** The text editor (@jupyterlab/fileeditor-extension). */
export const TEXT_EDITOR = 'Editor';

const BY_MEDIA_TYPE: Record<string, string> = {
  'text/csv': CSV_VIEWER,
  'image/png': IMAGE_VIEWER,
  'image/jpeg': IMAGE_VIEWER,
  'image/svg+xml': SVG_VIEWER,
  'application/json': TEXT_EDITOR
};

/**
 * The factory to open an output with, or null when JupyterLab has none for
 * it (the file is still saved). Text of any kind, HTML included, opens in the
 * editor: a reviewer reads its source, nothing in it runs.
 */
export function viewerFor(
  output: Pick<ReviewOutput, 'media_type' | 'kind'>
): string | null {
  const mediaType = output.media_type.split(';')[0].trim().toLowerCase();
  if (mediaType in BY_MEDIA_TYPE) {
    return BY_MEDIA_TYPE[mediaType];
  }
  if (mediaType.startsWith('text/') || output.kind === 'log') {
    return TEXT_EDITOR;
  }
  return null;
}
