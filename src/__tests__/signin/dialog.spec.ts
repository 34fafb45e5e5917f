import { nullTranslator } from '@jupyterlab/translation';
import { credentialsProblem } from '../../signin/dialog';
import { SignInBody } from '../../signin/SignInBody';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

const trans = nullTranslator.load('jupyterlab_vce');
(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;

describe('credentialsProblem', () => {
  it('names what is missing', () => {
    expect(
      credentialsProblem({ client_key: '', client_secret: '' }, trans)
    ).toBe('Enter your client key and client secret.');
    expect(
      credentialsProblem({ client_key: '', client_secret: 's' }, trans)
    ).toBe('Enter your client key.');
    expect(
      credentialsProblem({ client_key: 'k', client_secret: '' }, trans)
    ).toBe('Enter your client secret.');
    expect(
      credentialsProblem({ client_key: 'k', client_secret: 's' }, trans)
    ).toBeNull();
  });
});

describe('SignInBody', () => {
  it('hides the secret until the eye is pressed, and keeps what was typed', async () => {
    const body = new SignInBody({
      initial: { client_key: ' key-1 ', client_secret: 's3cret' },
      error: 'Client key or secret is incorrect.',
      trans
    });
    await act(async () => {
      Widget.attach(body, document.body);
    });
    const secret = body.node.querySelector<HTMLInputElement>(
      '#jp-vce-client-secret'
    )!;
    const toggle = body.node.querySelector<HTMLButtonElement>(
      '.jp-vce-SignIn-reveal'
    )!;
    expect(secret.type).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await act(async () => {
      toggle.click();
    });
    expect(secret.type).toBe('text');
    expect(toggle.getAttribute('aria-label')).toBe('Hide the secret');
    expect(body.node.querySelector('[role="alert"]')!.textContent).toBe(
      'Client key or secret is incorrect.'
    );
    expect(body.getValue()).toEqual({
      client_key: 'key-1',
      client_secret: 's3cret'
    });
    Widget.detach(body);
    body.dispose();
  });
});
