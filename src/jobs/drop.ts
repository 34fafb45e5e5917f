import type { Drag } from '@lumino/dragdrop';

/** The file browser's drag payload: the dragged items' paths. */
export const CONTENTS_MIME = 'application/x-jupyter-icontents';

/**
 * Accept files dragged from JupyterLab's file browser (Lumino drags, not
 * native ones) onto `node`; calls `onPath` with the first dragged path.
 * Returns the function that removes the listeners.
 */
export function installDropTarget(
  node: HTMLElement,
  onPath: (path: string) => void
): () => void {
  const accepts = (event: Drag.Event) => event.mimeData.hasData(CONTENTS_MIME);
  const onEnter = (event: Event) => {
    const drag = event as Drag.Event;
    if (accepts(drag)) {
      drag.preventDefault();
      drag.stopPropagation();
      node.classList.add('jp-mod-dropTarget');
    }
  };
  const onLeave = (event: Event) => {
    const drag = event as Drag.Event;
    if (!node.contains(drag.relatedTarget as Node | null)) {
      node.classList.remove('jp-mod-dropTarget');
    }
  };
  const onOver = (event: Event) => {
    const drag = event as Drag.Event;
    if (accepts(drag)) {
      drag.preventDefault();
      drag.stopPropagation();
      // The file browser offers only "move"; nothing moves: the panel reads the path.
      drag.dropAction = drag.proposedAction;
    }
  };
  const onDrop = (event: Event) => {
    const drag = event as Drag.Event;
    node.classList.remove('jp-mod-dropTarget');
    if (!accepts(drag)) {
      return;
    }
    drag.preventDefault();
    drag.stopPropagation();
    drag.dropAction = drag.proposedAction;
    const data = drag.mimeData.getData(CONTENTS_MIME) as unknown;
    const paths = Array.isArray(data) ? data : [data];
    const first = paths.find(path => typeof path === 'string');
    if (typeof first === 'string') {
      onPath(first);
    }
  };
  node.addEventListener('lm-dragenter', onEnter);
  node.addEventListener('lm-dragleave', onLeave);
  node.addEventListener('lm-dragover', onOver);
  node.addEventListener('lm-drop', onDrop);
  return () => {
    node.removeEventListener('lm-dragenter', onEnter);
    node.removeEventListener('lm-dragleave', onLeave);
    node.removeEventListener('lm-dragover', onOver);
    node.removeEventListener('lm-drop', onDrop);
  };
}

/** A workspace path dragged natively (HTML drag and drop) from the file browser. */
export function droppedPath(data: DataTransfer | null): string | null {
  if (!data) {
    return null;
  }
  const candidates = [data.getData(CONTENTS_MIME), data.getData('text/plain')];
  for (const candidate of candidates) {
    const path = candidate?.trim();
    if (path && !path.includes('\n') && !/^[a-z]+:\/\//i.test(path)) {
      return path.replace(/^\/+/, '');
    }
  }
  return null;
}

/** Whether a native drag may carry a path `droppedPath` reads. */
export function hasDroppablePath(data: DataTransfer | null): boolean {
  if (!data) {
    return false;
  }
  const types = Array.from(data.types ?? []);
  return types.some(type => type === CONTENTS_MIME || type === 'text/plain');
}
