/**
 * Views not on screen at start load when first used: one load for concurrent
 * callers, a failed load tried again, and a section that shows a loading line
 * until its content arrives, loaded only once it is shown.
 */
import { Widget } from '@lumino/widgets';
import { LoadOnShow, loadOnce } from '../../common/lazy';

describe('loadOnce', () => {
  it('loads at the first call only and shares the promise', async () => {
    const load = jest.fn(async () => ({ value: 1 }));
    const lazy = loadOnce(load);
    expect(load).not.toHaveBeenCalled();
    expect(lazy.current).toBeNull();
    const [a, b] = await Promise.all([lazy(), lazy()]);
    expect(a).toBe(b);
    expect(await lazy()).toBe(a);
    expect(lazy.current).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed load: the next call tries again', async () => {
    const load = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error('chunk failed'))
      .mockResolvedValueOnce('ok');
    const lazy = loadOnce(load);
    await expect(lazy()).rejects.toThrow('chunk failed');
    expect(lazy.current).toBeNull();
    expect(await lazy()).toBe('ok');
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('LoadOnShow', () => {
  const text = { loadingText: 'Loading…', failedText: 'Could not load.' };

  it('loads nothing while hidden, then its content when shown', async () => {
    const content = new Widget();
    content.node.textContent = 'the view';
    const load = jest.fn(async () => content);
    const section = new LoadOnShow({ load, ...text });
    section.hide();
    Widget.attach(section, document.body);
    expect(load).not.toHaveBeenCalled();
    expect(section.node.textContent).toBe('Loading…');
    expect(section.node.querySelector('[role="status"]')).not.toBeNull();

    section.show();
    await section.load();
    expect(load).toHaveBeenCalledTimes(1);
    expect(section.loaded).toBe(true);
    expect(section.node.textContent).toBe('the view');
    expect(section.node.getAttribute('aria-busy')).toBeNull();
    section.hide();
    section.show();
    await section.load();
    expect(load).toHaveBeenCalledTimes(1);
    section.dispose();
  });

  it('loads at once when attached visible; says so when loading failed and retries', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    const load = jest
      .fn<Promise<Widget | void>, []>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValueOnce(undefined);
    const section = new LoadOnShow({ load, ...text });
    Widget.attach(section, document.body);
    await section.load();
    expect(load).toHaveBeenCalledTimes(1);
    expect(section.loaded).toBe(false);
    expect(section.node.textContent).toBe('Could not load.');
    await section.load();
    expect(load).toHaveBeenCalledTimes(2);
    expect(section.loaded).toBe(true);
    section.dispose();
    errors.mockRestore();
  });
});
