/** What the panel's buttons do (the plugin's commands). */
export interface IBuilderActions {
  insert(): void;
  insertAndRun(): void;
  copy(): void;
  update(): void;
  preview(): void;
  newQuery(): void;
  /** Highlight Python into `element` (CodeMirror's highlighter), or null for plain text. */
  highlight: ((code: string, element: HTMLElement) => Promise<void>) | null;
  /** Whether a notebook is open to insert into (else a new one is created). */
  hasNotebook(): boolean;
}
