import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

/** A side panel section whose content is created the first time it is shown. */
export class LazySection extends Panel {
  constructor(private readonly _create: () => Promise<Widget>) {
    super();
    this.addClass('jp-vce-QB-host');
  }

  /** The content, created now if it was not yet. */
  load(): Promise<void> {
    return (this._loading ??= this._create().then(widget =>
      this.addWidget(widget)
    ));
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

  private _loading: Promise<void> | null = null;
}
