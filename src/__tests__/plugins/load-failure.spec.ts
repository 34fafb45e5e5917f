/**
 * A part loaded on first use that cannot be loaded (webpack's ChunkLoadError)
 * is told in words: the Inbox in a notification (a second click tries again),
 * *New clean-room script* as a part that could not be loaded, not a failed write.
 */
import * as apputils from '@jupyterlab/apputils';
import { CommandRegistry } from '@lumino/commands';
import { InboxCommandIDs, TemplateCommandIDs } from '../../commands';
import { inboxPlugin } from '../../plugins/inbox';
import { templatePlugin } from '../../plugins/template';

jest.mock('../../inbox/open', () => {
  const error = new Error('Loading chunk lib_inbox_open_ts failed.');
  error.name = 'ChunkLoadError';
  throw error;
});
jest.mock('../../template/starter.generated', () => {
  const error = new Error('Loading chunk starter failed.');
  error.name = 'ChunkLoadError';
  throw error;
});
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showErrorMessage: jest.fn(async () => undefined)
}));

let log: jest.SpyInstance;
beforeEach(() => {
  log = jest.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

function app(): any {
  return {
    commands: new CommandRegistry(),
    restored: new Promise(() => undefined),
    shell: { widgets: () => [], add: jest.fn(), activateById: jest.fn() },
    serviceManager: { contents: { get: jest.fn(), save: jest.fn() } }
  };
}

it('the Inbox that cannot be loaded is notified, in words', async () => {
  const error = jest
    .spyOn(apputils.Notification, 'error')
    .mockReturnValue('id');
  const lab = app();
  inboxPlugin.activate(
    lab,
    { client: {}, events: {} } as any,
    null,
    null,
    null
  );
  await lab.commands.execute(InboxCommandIDs.open, {});
  expect(error).toHaveBeenCalledTimes(1);
  expect(error.mock.calls[0][0]).toContain('The Inbox could not be opened.');
  expect(error.mock.calls[0][0]).not.toMatch(/chunk/i);
  error.mockRestore();
});

it('New clean-room script says a part could not be loaded, not that the write failed', async () => {
  const lab = app();
  templatePlugin.activate(lab, null, null, null, null);
  await lab.commands.execute(TemplateCommandIDs.newScript, { cwd: '' });
  const show = apputils.showErrorMessage as jest.Mock;
  expect(show).toHaveBeenCalledTimes(1);
  const body = String(show.mock.calls[0][1]);
  expect(body).toContain(
    'Part of the VCE extension (the starter script) could not be loaded from the server'
  );
  expect(body).not.toContain('could not be written');
});
