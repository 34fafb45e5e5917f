import { ISignal, Signal } from '@lumino/signaling';
import type { AttestationCheck } from './attestation';
import type { ISavedResults, OutboxMail } from '../api/types';

export interface IBanner {
  kind: 'error' | 'info' | 'success';
  text: string;
  /** A job the banner is about (a "Show" link). */
  jobId?: string;
  /** A file the banner is about: it goes when another file becomes the one to submit. */
  path?: string;
}

/** What the panel shows besides the jobs: selection, progress, messages, downloads. */
export class PanelState {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The job whose detail is open, or null for the list. */
  get selected(): string | null {
    return this._selected;
  }

  set selected(jobId: string | null) {
    this._selected = jobId;
    this._changed.emit();
  }

  /** What the panel is doing now ("Submitting analysis.py…"), or null. */
  get busy(): string | null {
    return this._busy;
  }

  set busy(text: string | null) {
    this._busy = text;
    this._changed.emit();
  }

  get banner(): IBanner | null {
    return this._banner;
  }

  set banner(banner: IBanner | null) {
    this._banner = banner;
    this._changed.emit();
  }

  /** Send the folder's companion files with the script. */
  get withCompanions(): boolean {
    return this._withCompanions;
  }

  set withCompanions(value: boolean) {
    this._withCompanions = value;
    this._changed.emit();
  }

  /** The script the panel would submit (the active document), or null. */
  get currentPath(): string | null {
    return this._currentPath;
  }

  set currentPath(path: string | null) {
    if (path !== this._currentPath) {
      this._currentPath = path;
      this._dropBannerOfOtherFile();
      this._changed.emit();
    }
  }

  /** A script picked from the workspace or dropped on the panel: submitted instead of the active document. */
  get chosenPath(): string | null {
    return this._chosenPath;
  }

  set chosenPath(path: string | null) {
    if (path !== this._chosenPath) {
      this._chosenPath = path;
      this._dropBannerOfOtherFile();
      this._changed.emit();
    }
  }

  /** What Submit sends: the chosen script, else the active document. */
  get target(): string | null {
    return this._chosenPath ?? this._currentPath;
  }

  /** "x.py is empty" goes once x.py is no longer what Submit sends. */
  private _dropBannerOfOtherFile(): void {
    if (this._banner?.path !== undefined && this._banner.path !== this.target) {
      this._banner = null;
    }
  }

  /**
   * A job reached a final state: a message that it was started ("follows it
   * live") no longer holds; an error about it stays until dismissed.
   */
  jobEnded(jobId: string): void {
    if (this._banner?.jobId === jobId && this._banner.kind !== 'error') {
      this.banner = null;
    }
  }

  saved(jobId: string): ISavedResults | undefined {
    return this._saved.get(jobId);
  }

  setSaved(jobId: string, saved: ISavedResults): void {
    this._saved.set(jobId, saved);
    this._changed.emit();
  }

  attestation(jobId: string): AttestationCheck | 'checking' | undefined {
    return this._attestations.get(jobId);
  }

  setAttestation(jobId: string, check: AttestationCheck | 'checking'): void {
    this._attestations.set(jobId, check);
    this._changed.emit();
  }

  /** The mail about a job (its result link), null when there is none, undefined before asking. */
  mail(jobId: string): OutboxMail | null | undefined {
    return this._mail.get(jobId);
  }

  setMail(jobId: string, mail: OutboxMail | null): void {
    this._mail.set(jobId, mail);
    this._changed.emit();
  }

  private readonly _mail = new Map<string, OutboxMail | null>();
  private readonly _changed = new Signal<this, void>(this);
  private _selected: string | null = null;
  private _busy: string | null = null;
  private _banner: IBanner | null = null;
  private _withCompanions = false;
  private _currentPath: string | null = null;
  private _chosenPath: string | null = null;
  private readonly _saved = new Map<string, ISavedResults>();
  private readonly _attestations = new Map<
    string,
    AttestationCheck | 'checking'
  >();
}
