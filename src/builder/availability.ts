/**
 * The Query Builder is for researchers: the platform refuses a reviewer's
 * queries (role `reviewer` of `GET /v2/vce/me/`). With the jobs panel's own
 * decision (`reviewerRole`, which keeps the last answer through an outage),
 * this hides the builder's launcher item for a reviewer and tells its
 * commands to disable themselves; it comes back when a researcher signs in.
 */
import type { ILauncher } from '@jupyterlab/launcher';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { IVCEStatus } from '../api/types';
import { reviewerRole } from '../review/role';

/** What this needs of the connection's status model (`PlatformStatusModel`). */
export interface IStatusSource {
  readonly status: IVCEStatus | null;
  readonly changed: ISignal<unknown, void>;
}

export interface IBuilderAvailabilityOptions {
  /** The connection's status; null (no connection plugin): always available. */
  status: IStatusSource | null;
  launcher: ILauncher | null;
  /** The launcher item to show while available. */
  launcherItem: ILauncher.IItemOptions;
}

export class BuilderAvailability implements IDisposable {
  constructor(options: IBuilderAvailabilityOptions) {
    this._status = options.status;
    this._launcher = options.launcher;
    this._item = options.launcherItem;
    this._reviewer = reviewerRole(false, this._status?.status ?? null);
    this._showLauncherItem(!this._reviewer);
    this._status?.changed.connect(this._sync, this);
  }

  /** False for a reviewer client. */
  get available(): boolean {
    return !this._reviewer;
  }

  /** Emitted when `available` changes (refresh the commands' enabled state). */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._status?.changed.disconnect(this._sync, this);
    this._launcherEntry?.dispose();
    this._launcherEntry = null;
    Signal.clearData(this);
  }

  private _sync(): void {
    const reviewer = reviewerRole(this._reviewer, this._status?.status ?? null);
    if (reviewer === this._reviewer) {
      return;
    }
    this._reviewer = reviewer;
    this._showLauncherItem(!reviewer);
    this._changed.emit();
  }

  private _showLauncherItem(show: boolean): void {
    if (show && !this._launcherEntry && this._launcher) {
      this._launcherEntry = this._launcher.add(this._item);
    } else if (!show) {
      this._launcherEntry?.dispose();
      this._launcherEntry = null;
    }
  }

  private readonly _status: IStatusSource | null;
  private readonly _launcher: ILauncher | null;
  private readonly _item: ILauncher.IItemOptions;
  private readonly _changed = new Signal<this, void>(this);
  private _launcherEntry: IDisposable | null = null;
  private _reviewer: boolean;
  private _disposed = false;
}
