/**
 * The embedded platform's own client in plain sight (issue 17, item 4): the
 * connection details and the sign-in dialog name its key and where its secret
 * is, and show or copy the secret only when asked.
 */
import { showDialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import { act } from 'react';
import type { ILocalClientSecret } from '../../api/types';
import { showConnection } from '../../signin/connection';
import { localClientWidget, MASK } from '../../signin/LocalClient';
import { SignInBody } from '../../signin/SignInBody';
import type { PlatformStatusModel } from '../../status/model';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn(async () => ({ button: { displayType: 'default' } }))
}));

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;

const dialog = showDialog as jest.MockedFunction<typeof showDialog>;
const trans = nullTranslator.load('jupyterlab_vce');
const LOCAL = {
  client_key: 'vce-local-researcher',
  secret_file:
    '/home/ada/.local/share/jupyter/jupyterlab_vce/mock/embedded-client-secret'
};
const SECRET: ILocalClientSecret = {
  ...LOCAL,
  client_secret: 'Zq8-local-s3cret'
};

async function attach(widget: Widget): Promise<void> {
  await act(async () => {
    Widget.attach(widget, document.body);
  });
}

function button(root: HTMLElement, selector: string): HTMLButtonElement {
  return root.querySelector<HTMLButtonElement>(selector)!;
}

async function click(target: HTMLElement): Promise<void> {
  await act(async () => {
    target.click();
  });
}

afterEach(() => {
  dialog.mockClear();
  document.body.innerHTML = '';
});

describe('the local client view', () => {
  it('shows the key and the file, and the secret only after Reveal', async () => {
    const reveal = jest.fn(async () => SECRET);
    const widget = localClientWidget({ local: LOCAL, reveal, trans });
    await attach(widget);
    const node = widget.node;
    expect(node.querySelector('.jp-vce-LocalClient-key')!.textContent).toBe(
      LOCAL.client_key
    );
    expect(node.querySelector('.jp-vce-LocalClient-file')!.textContent).toBe(
      LOCAL.secret_file
    );
    expect(node.textContent).not.toContain(SECRET.client_secret);
    expect(node.querySelector('.jp-vce-LocalClient-secret')!.textContent).toBe(
      MASK
    );
    expect(reveal).not.toHaveBeenCalled();

    await click(button(node, '.jp-vce-LocalClient-reveal'));
    expect(reveal).toHaveBeenCalledTimes(1);
    expect(node.querySelector('.jp-vce-LocalClient-secret')!.textContent).toBe(
      SECRET.client_secret
    );
    expect(
      button(node, '.jp-vce-LocalClient-reveal').getAttribute('aria-pressed')
    ).toBe('true');

    await click(button(node, '.jp-vce-LocalClient-reveal'));
    expect(node.textContent).not.toContain(SECRET.client_secret);
    widget.dispose();
  });

  it('offers no Reveal, Copy or Use for a pair set in the environment', async () => {
    const reveal = jest.fn(async () => SECRET);
    const widget = localClientWidget({
      local: { client_key: LOCAL.client_key, secret_file: null },
      reveal,
      trans,
      onUse: jest.fn()
    });
    await attach(widget);
    const node = widget.node;
    expect(node.querySelector('.jp-vce-LocalClient-reveal')).toBeNull();
    expect(node.querySelector('.jp-vce-LocalClient-copySecret')).toBeNull();
    expect(node.querySelector('.jp-vce-LocalClient-use')).toBeNull();
    expect(
      node.querySelector('.jp-vce-LocalClient-notShown')!.textContent
    ).toContain('RQS_CLIENT_SECRET');
    expect(reveal).not.toHaveBeenCalled();
    widget.dispose();
  });

  it('copies the secret without showing it', async () => {
    const reveal = jest.fn(async () => SECRET);
    const copy = jest.fn();
    const widget = localClientWidget({ local: LOCAL, reveal, trans, copy });
    await attach(widget);
    await click(button(widget.node, '.jp-vce-LocalClient-copySecret'));
    expect(copy).toHaveBeenCalledWith(SECRET.client_secret);
    expect(widget.node.textContent).not.toContain(SECRET.client_secret);
    expect(widget.node.querySelector('[role="status"]')!.textContent).toBe(
      'Secret copied to the clipboard.'
    );
    await click(button(widget.node, '.jp-vce-LocalClient-copyKey'));
    expect(copy).toHaveBeenLastCalledWith(LOCAL.client_key);
    widget.dispose();
  });

  it("says the server's refusal when the secret cannot be had", async () => {
    const reveal = jest.fn(async () => {
      throw new Error(
        "This lab's platform is not the embedded local stand-in with a generated client."
      );
    });
    const widget = localClientWidget({ local: LOCAL, reveal, trans });
    await attach(widget);
    await click(button(widget.node, '.jp-vce-LocalClient-reveal'));
    expect(widget.node.querySelector('[role="alert"]')!.textContent).toContain(
      'not the embedded local stand-in'
    );
    expect(
      widget.node.querySelector('.jp-vce-LocalClient-secret')!.textContent
    ).toBe(MASK);
    widget.dispose();
  });
});

describe('the connection details', () => {
  function connected(local: typeof LOCAL | null): PlatformStatusModel {
    return {
      phase: 'connected',
      status: {
        platform: { state: 'connected', message: 'Connected.' },
        local_client: local,
        identity: null,
        quota: null
      },
      changed: { connect: jest.fn(), disconnect: jest.fn() },
      refresh: jest.fn(async () => undefined)
    } as unknown as PlatformStatusModel;
  }

  it('with the embedded platform, hold its client under the details', async () => {
    const reveal = jest.fn(async () => SECRET);
    await showConnection(connected(LOCAL), trans, {
      mode: 'in-lab',
      signIn: jest.fn(),
      signOut: jest.fn(),
      revealLocalSecret: reveal
    });
    const body = dialog.mock.calls[0][0]!.body as Panel;
    expect(body.widgets).toHaveLength(2);
    expect(body.widgets[1].hasClass('jp-vce-LocalClientWidget')).toBe(true);
    expect(reveal).not.toHaveBeenCalled();
  });

  it('with any other platform, show no local client', async () => {
    await showConnection(connected(null), trans, {
      mode: 'in-lab',
      signIn: jest.fn(),
      signOut: jest.fn(),
      revealLocalSecret: jest.fn()
    });
    const body = dialog.mock.calls[0][0]!.body as Panel;
    expect(body.widgets).toHaveLength(1);
  });
});

describe('the sign-in dialog', () => {
  it('with the embedded platform, says where the client is and fills it in on request', async () => {
    const reveal = jest.fn(async () => SECRET);
    const body = new SignInBody({
      initial: { client_key: '', client_secret: '' },
      error: null,
      trans,
      local: { ...LOCAL, reveal }
    });
    await attach(body);
    const help = body.node.querySelector('#jp-vce-SignIn-help')!.textContent!;
    expect(help).toContain('local stand-in');
    expect(help).not.toContain('Research projects page →');
    // Where they are: the key and the secret's file, in the dialog.
    expect(
      body.node.querySelector('.jp-vce-LocalClient-key')!.textContent
    ).toBe(LOCAL.client_key);
    expect(
      body.node.querySelector('.jp-vce-LocalClient-file')!.textContent
    ).toBe(LOCAL.secret_file);
    await click(button(body.node, '.jp-vce-LocalClient-use'));
    expect(body.getValue()).toEqual({
      client_key: SECRET.client_key,
      client_secret: SECRET.client_secret
    });
    expect(
      body.node.querySelector<HTMLInputElement>('#jp-vce-client-secret')!.type
    ).toBe('password');
    body.dispose();
  });

  it('with any other platform, points at the research project', async () => {
    const body = new SignInBody({
      initial: { client_key: '', client_secret: '' },
      error: null,
      trans
    });
    await attach(body);
    expect(
      body.node.querySelector('#jp-vce-SignIn-help')!.textContent
    ).toContain('Research projects page');
    expect(body.node.querySelector('.jp-vce-LocalClient')).toBeNull();
    body.dispose();
  });
});
