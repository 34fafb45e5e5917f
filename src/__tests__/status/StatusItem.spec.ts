import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';
import { PlatformStatusModel } from '../../status/model';
import { VCEStatusItem } from '../../status/StatusItem';
import type { IVCEStatus } from '../../api/types';
import { makeStatus, signedOut, unreachable } from '../helpers/status-fixtures';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;
const trans = nullTranslator.load('jupyterlab_vce');

async function renderWith(status: IVCEStatus) {
  const client = {
    getStatus: jest.fn(async () => status),
    signIn: jest.fn(),
    signOut: jest.fn()
  };
  const model = new PlatformStatusModel({
    client,
    retry: { initialMs: 1000, maxMs: 1000 }
  });
  const activate = jest.fn();
  const item = new VCEStatusItem(model, activate, trans);
  await act(async () => {
    Widget.attach(item, document.body);
  });
  await act(async () => {
    await model.refresh();
  });
  return { item, model, activate };
}

describe('VCEStatusItem', () => {
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    await act(async () => cleanups.splice(0).forEach(cleanup => cleanup()));
  });

  it.each([
    ['connected', 'VCE 0 / 5,000', makeStatus],
    ['signed-out', 'VCE: sign in', signedOut],
    ['unreachable', 'VCE unreachable', unreachable]
  ])('renders phase %s as "%s"', async (phase, label, status) => {
    const { item, model } = await renderWith(status());
    cleanups.push(() => {
      item.dispose();
      model.dispose();
    });
    expect(item.node.dataset.phase).toBe(phase);
    expect(item.node.textContent).toBe(label);
    expect(item.node.getAttribute('role')).toBe('button');
    expect(item.node.getAttribute('aria-label')).toBe(item.node.title);
  });

  it('is activated by a click and by the keyboard', async () => {
    const { item, model, activate } = await renderWith(makeStatus());
    cleanups.push(() => {
      item.dispose();
      model.dispose();
    });
    item.node.click();
    item.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    item.node.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(activate).toHaveBeenCalledTimes(2);
  });
});
