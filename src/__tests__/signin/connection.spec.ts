/**
 * Clicking the status item: with no platform configured it says the two ways
 * out in a dialog (the status bar's text alone is too short for them).
 */
import { showDialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { showConnection } from '../../signin/connection';
import type { PlatformStatusModel } from '../../status/model';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn(async () => ({ button: { displayType: 'default' } }))
}));

const dialog = showDialog as jest.MockedFunction<typeof showDialog>;
const trans = nullTranslator.load('jupyterlab_vce');

function statusIn(phase: string, message: string): PlatformStatusModel {
  return {
    phase,
    status: { platform: { state: 'not_configured', message } },
    refresh: jest.fn(async () => undefined)
  } as unknown as PlatformStatusModel;
}

afterEach(() => dialog.mockClear());

describe('showConnection', () => {
  it('shows the ways out when no platform is configured', async () => {
    const signIn = jest.fn();
    const message =
      'No platform is configured: install the stand-in (npm install -g vce-mock-0.1.0.tgz) or set RQS_API_URL.';
    await showConnection(statusIn('not-configured', message), trans, signIn);
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(dialog.mock.calls[0][0]).toMatchObject({
      title: 'No platform is configured',
      body: message
    });
    expect(signIn).not.toHaveBeenCalled();
  });

  it('asks to sign in when signed out', async () => {
    const signIn = jest.fn(async () => undefined);
    await showConnection(statusIn('signed-out', ''), trans, signIn);
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(dialog).not.toHaveBeenCalled();
  });
});
