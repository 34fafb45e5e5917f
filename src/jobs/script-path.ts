/** What the Data Clean Room runs: Python scripts and notebooks. */
export const SCRIPT_EXTENSIONS = ['.py', '.ipynb'];

/** Whether the path names a script the Data Clean Room runs. */
export function isScriptPath(path: string): boolean {
  const lower = path.toLowerCase();
  return SCRIPT_EXTENSIONS.some(extension => lower.endsWith(extension));
}
