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
    await showConnection(statusIn('not-configured', message), trans, {
      mode: 'in-lab',
      signIn,
      signOut: jest.fn()
    });
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(dialog.mock.calls[0][0]).toMatchObject({
      title: 'No platform is configured',
      body: message
    });
    expect(signIn).not.toHaveBeenCalled();
  });

  it('asks to sign in when signed out', async () => {
    const signIn = jest.fn(async () => undefined);
    await showConnection(statusIn('signed-out', ''), trans, {
      mode: 'in-lab',
      signIn,
      signOut: jest.fn()
    });
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(dialog).not.toHaveBeenCalled();
  });

  it('under a hub, a refused secret says so and "Sign in again" goes to the login page', async () => {
    const message =
      'The platform at http://127.0.0.1:8911 refused the client key "alice": Client key or secret is incorrect. Sign in again on the login page.';
    dialog.mockResolvedValueOnce({
      button: { accept: true, displayType: 'default' }
    } as never);
    const signIn = jest.fn(async () => undefined);
    const signOut = jest.fn(async () => undefined);
    await showConnection(statusIn('rejected', message), trans, {
      mode: 'hub',
      signIn,
      signOut
    });
    expect(dialog).toHaveBeenCalledTimes(1);
    const options = dialog.mock.calls[0][0]!;
    expect(options).toMatchObject({
      title: 'The client secret was not accepted',
      body: message
    });
    expect(options.buttons?.map(button => button.label)).toEqual([
      'Close',
      'Sign in again'
    ]);
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(signOut).not.toHaveBeenCalled();
  });

  it('under a hub, closing the refusal does not leave the lab', async () => {
    dialog.mockResolvedValueOnce({
      button: { accept: false, displayType: 'default' }
    } as never);
    const signIn = jest.fn(async () => undefined);
    await showConnection(statusIn('rejected', 'refused'), trans, {
      mode: 'hub',
      signIn,
      signOut: jest.fn()
    });
    expect(signIn).not.toHaveBeenCalled();
  });

  it('in the lab, a refused secret opens the sign-in dialog again', async () => {
    const signIn = jest.fn(async () => undefined);
    await showConnection(statusIn('rejected', 'refused'), trans, {
      mode: 'in-lab',
      signIn,
      signOut: jest.fn()
    });
    expect(signIn).toHaveBeenCalledTimes(1);
    expect(dialog).not.toHaveBeenCalled();
  });

  it("when connected, the details' Sign out runs the mode's sign-out", async () => {
    dialog.mockResolvedValueOnce({
      button: { accept: false, displayType: 'warn' }
    } as never);
    const signIn = jest.fn();
    const signOut = jest.fn(async () => undefined);
    await showConnection(statusIn('connected', 'Connected.'), trans, {
      mode: 'hub',
      signIn,
      signOut
    });
    expect(dialog.mock.calls[0][0]!.title).toBe('Virtual Compute Environment');
    expect(signOut).toHaveBeenCalledTimes(1);
    expect(signIn).not.toHaveBeenCalled();
  });
});
