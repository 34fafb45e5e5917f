/**
 * The result table loads with the first result (its own chunk): when that
 * load fails, the records (already charged to the quota) are still shown, as
 * text, under one line saying the table could not be loaded, not JupyterLab's
 * "Javascript Error: Loading chunk … failed".
 */
import { rendererFactory } from '../../renderer';
import { QUERY_RESULT_MIME } from '../../renderer/mime';

jest.mock('../../renderer/table', () => {
  const error = new Error('Loading chunk lib_renderer_table_ts failed.');
  error.name = 'ChunkLoadError';
  throw error;
});

const records = [
  { id: 7100000000000001, display_name: 'user 1' },
  { id: 7100000000000002, display_name: 'user 2' }
];

it('shows the records as text and says the table could not be loaded', async () => {
  const log = jest.spyOn(console, 'error').mockImplementation(() => {});
  const renderer = rendererFactory.createRenderer({
    mimeType: QUERY_RESULT_MIME,
    sanitizer: { sanitize: (text: string) => text },
    resolver: null,
    linkHandler: null,
    latexTypesetter: null
  } as any);
  await expect(
    renderer.renderModel({
      data: { [QUERY_RESULT_MIME]: { category: 'video', count: 2, records } },
      metadata: {},
      trusted: true,
      setData: () => undefined
    } as any)
  ).resolves.toBeUndefined();
  const note = renderer.node.querySelector('[role="alert"]')!;
  expect(note.textContent).toContain(
    'Part of the VCE extension (the result table) could not be loaded from the server'
  );
  expect(note.textContent).not.toMatch(/chunk/i);
  const text = renderer.node.querySelector('pre')!.textContent!;
  expect(JSON.parse(text)).toEqual(records);
  log.mockRestore();
});
