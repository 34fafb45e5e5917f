/**
 * The builder's quota figures (beside the limit, and under the preview's
 * sample) follow the connection's status model, the one the status bar shows:
 * a kernel's query, another preview or the day's reset move them all at once.
 */
import type { IDisposable } from '@lumino/disposable';
import type { IStatusSource } from './availability';
import type { QueryBuilderModel } from './model';

/** Keep `model`'s quota the status model's, from now until disposed. */
export function followQuota(
  model: QueryBuilderModel,
  source: IStatusSource
): IDisposable {
  const sync = () => model.setQuota(source.status?.quota ?? null);
  source.changed.connect(sync);
  sync();
  let disposed = false;
  return {
    get isDisposed() {
      return disposed;
    },
    dispose() {
      if (!disposed) {
        disposed = true;
        source.changed.disconnect(sync);
      }
    }
  };
}
