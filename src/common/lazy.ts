/**
 * Code that is not on screen at start loads when first used: `loadOnce` keeps
 * one load (and forgets a failed one, so the next use tries again), and
 * `LoadOnShow` is a section whose content is loaded the first time it is
 * shown, with a loading line meanwhile (JupyterLab's own wording and colours).
 */
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

/** A loader that runs once; `current` is its value once loaded. */
export interface ILoadOnce<T> {
  (): Promise<T>;
  readonly current: T | null;
}

/** `load` at its first call only; concurrent callers share the one promise; a failure is not kept. */
export function loadOnce<T>(load: () => Promise<T>): ILoadOnce<T> {
  let pending: Promise<T> | null = null;
  let current: T | null = null;
  const call = () =>
    (pending ??= load().then(
      value => {
        current = value;
        return value;
      },
      reason => {
        pending = null;
        throw reason;
      }
    ));
  Object.defineProperty(call, 'current', { get: () => current });
  return call as ILoadOnce<T>;
}

export interface ILoadOnShowOptions {
  /** The content, when first shown: a widget to put in this section, or nothing (the caller replaces the section). */
  load: () => Promise<Widget | void>;
  /** The loading line's text (translated). */
  loadingText: string;
  /** What to say when loading failed (translated); the next show tries again. */
  failedText: string;
}

/** A side panel section (or any panel) whose content is loaded the first time it is shown. */
export class LoadOnShow extends Panel {
  constructor(private readonly _options: ILoadOnShowOptions) {
    super();
    this.addClass('jp-vce-LoadOnShow');
    this._placeholder.addClass('jp-vce-Loading');
    this._placeholder.node.setAttribute('role', 'status');
    this._placeholder.node.textContent = _options.loadingText;
    this.addWidget(this._placeholder);
  }

  /** Whether the content was loaded. */
  get loaded(): boolean {
    return this._loaded;
  }

  /** Load the content now, if it was not yet (one load for concurrent callers). */
  load(): Promise<void> {
    return (this._loading ??= this._load());
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.load();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      void this.load();
    }
  }

  private async _load(): Promise<void> {
    this.node.setAttribute('aria-busy', 'true');
    this._placeholder.node.textContent = this._options.loadingText;
    try {
      const widget = await this._options.load();
      this._loaded = true;
      this._placeholder.dispose();
      if (widget && !this.isDisposed) {
        this.addWidget(widget);
      }
    } catch (reason) {
      console.error('jupyterlab-vce: a view could not be loaded', reason);
      this._placeholder.node.textContent = this._options.failedText;
      this._loading = null;
    } finally {
      this.node.removeAttribute('aria-busy');
    }
  }

  private readonly _placeholder = new Widget();
  private _loading: Promise<void> | null = null;
  private _loaded = false;
}
