/** What webpack rejects `import()` with when a chunk's script fails to load. */
export function chunkLoadError(chunk = 'lib_inbox_open_ts'): Error {
  const error = new Error(
    `Loading chunk ${chunk} failed.\n(error: http://localhost/lab/extensions/jupyterlab-vce/static/${chunk}.js)`
  );
  error.name = 'ChunkLoadError';
  return error;
}
