/**
 * The Query Builder panel rendered in jsdom: only allowed operations are
 * offered, bad values are marked for screen readers and block the buttons,
 * chips add and remove values, the limit shows the quota; every chooser is
 * JupyterLab's HTMLSelect; the sidebar's and the main area's views of one
 * model stay in step; the quota figures follow the status model.
 */
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { QueryBuilderModel } from '../../builder/model';
import type { IBuilderActions } from '../../builder/actions';
import { BuilderPlace, QueryBuilderView } from '../../builder/QueryBuilderView';
import { followQuota } from '../../builder/quota';
import { Signal } from '@lumino/signaling';
import type { IVCEStatus, Quota } from '../../api/types';

const actions = (): IBuilderActions & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    insert: () => calls.push('insert'),
    insertAndRun: () => calls.push('insertAndRun'),
    copy: () => calls.push('copy'),
    update: () => calls.push('update'),
    preview: () => calls.push('preview'),
    newQuery: () => calls.push('newQuery'),
    highlight: null,
    hasNotebook: () => true
  };
};

/** Set a form control's value as a person would (React listens to input/change). */
function setValue(
  element: HTMLInputElement | HTMLSelectElement,
  value: string
): void {
  const prototype =
    element instanceof HTMLSelectElement
      ? HTMLSelectElement.prototype
      : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')!.set!.call(
    element,
    value
  );
  element.dispatchEvent(
    new Event(element instanceof HTMLSelectElement ? 'change' : 'input', {
      bubbles: true
    })
  );
}

async function render(
  model: QueryBuilderModel,
  acts = actions(),
  place: BuilderPlace = 'sidebar'
) {
  const view = new QueryBuilderView(model, acts, place);
  Widget.attach(view, document.body);
  const flush = async () => {
    view.update();
    // Deliver the update request now, so that renderPromise is this render's
    // (the message loop's own turn may come late on a busy machine).
    MessageLoop.flush();
    await view.renderPromise;
    await new Promise(resolve => setTimeout(resolve, 0));
  };
  await flush();
  const q = <T extends Element>(selector: string) =>
    view.node.querySelector<T>(selector)!;
  const byLabel = <T extends Element>(label: string) =>
    q<T>(`[aria-label="${label}"]`);
  const button = (text: string) =>
    [...view.node.querySelectorAll('button')].find(
      b => b.textContent === text
    ) as HTMLButtonElement;
  return { view, flush, q, byLabel, button, acts };
}

// Rendering goes through Lumino's message loop (VDomRenderer): the test awaits each render.

describe('QueryBuilderView', () => {
  it('offers per field only its operations, and marks a bad value', async () => {
    const model = new QueryBuilderModel();
    model.addGroup();
    const { flush, byLabel, button, view } = await render(model);
    setValue(
      byLabel<HTMLSelectElement>('Field of condition 1 of group 1'),
      'like_count'
    );
    await flush();
    const options = [
      ...byLabel<HTMLSelectElement>('Operation of condition 1 of group 1')
        .options
    ].map(o => o.value);
    expect(options).toEqual(['EQ', 'IN', 'GT', 'GTE', 'LT', 'LTE']);
    setValue(byLabel<HTMLInputElement>('Value of like_count'), 'ten');
    await flush();
    const input = byLabel<HTMLInputElement>('Value of like_count');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = view.node.querySelector(
      `#${input.getAttribute('aria-describedby')}`
    )!;
    expect(described.textContent).toContain('like_count takes whole numbers');
    expect(button('Insert below').disabled).toBe(true);
    expect(button('Insert and run').disabled).toBe(true);
    // The disabled buttons say why; the summary leads to the problem.
    expect(button('Insert below').title).toBe('Fix the problem above first.');
    expect(
      view.node.querySelector('.jp-vce-QB-summary')!.textContent
    ).toContain('1 problem to fix before running.');
    button('Go to the first').click();
    expect(document.activeElement).toBe(input);
    setValue(byLabel<HTMLInputElement>('Value of like_count'), '10');
    await flush();
    expect(button('Insert below').disabled).toBe(false);
    button('Insert and run').click();
    expect(model.query.groups[0].conditions[0]).toEqual({
      field: 'like_count',
      operation: 'EQ',
      values: ['10']
    });
    view.dispose();
  });

  it('a new condition asks for its value without a red error; once a value was entered and removed, it is one', async () => {
    const model = new QueryBuilderModel();
    model.addGroup();
    model.setField(0, 0, 'like_count');
    const { flush, byLabel, button, view, q } = await render(model);
    const condition = q('.jp-vce-QB-condition');
    expect(condition.classList.contains('jp-vce-QB-waiting')).toBe(true);
    expect(condition.classList.contains('jp-mod-invalid')).toBe(false);
    expect(q('.jp-vce-QB-problem').className).toContain('jp-mod-prompt');
    expect(q('.jp-vce-QB-problem').textContent).toContain('needs a value');
    // Still a problem to fix before running, and "Go to the first" reaches the waiting value.
    expect(button('Insert below').disabled).toBe(true);
    button('Go to the first').click();
    expect(document.activeElement).toBe(byLabel('Value of like_count'));
    setValue(byLabel<HTMLInputElement>('Value of like_count'), '5');
    await flush();
    setValue(byLabel<HTMLInputElement>('Value of like_count'), '');
    await flush();
    expect(q('.jp-vce-QB-condition').classList.contains('jp-mod-invalid')).toBe(
      true
    );
    expect(q('.jp-vce-QB-problem').className).toContain('jp-mod-error');
    // A problem that flags no control still leads to its condition's value.
    (document.activeElement as HTMLElement).blur();
    button('Go to the first').click();
    expect(document.activeElement).toBe(byLabel('Value of like_count'));
    view.dispose();
  });

  it('adds values as chips for IN, keeping commas in text', async () => {
    const model = new QueryBuilderModel();
    model.addGroup();
    model.setField(0, 0, 'video_description');
    model.setOperation(0, 0, 'IN');
    const { flush, byLabel, view } = await render(model);
    const box = byLabel<HTMLInputElement>(
      'Add a value to video_description IN'
    );
    setValue(box, 'cats, dogs');
    box.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
    );
    await flush();
    expect(model.groups[0].conditions[0].values).toEqual(['cats, dogs']);
    const remove = byLabel<HTMLButtonElement>('Remove the value cats, dogs');
    remove.click();
    expect(model.groups[0].conditions[0].values).toEqual([]);
    view.dispose();
  });

  it('shows the quota beside the limit and flags a limit over it', async () => {
    const model = new QueryBuilderModel();
    model.setQuota({
      day: '2026-11-25',
      daily_limit: 5000,
      used: 4995,
      remaining: 5,
      resets_at: '2026-11-26T00:00:00Z'
    });
    const { q, button, view } = await render(model);
    expect(q('#jp-vce-qb-quota').textContent).toBe(
      '5 of 5,000 records left today'
    );
    expect(q('#jp-vce-qb-limit').getAttribute('aria-invalid')).toBe('true');
    expect(q('#jp-vce-qb-limit-problems').textContent).toContain(
      'Only 5 records are left today'
    );
    expect(button('Insert below').disabled).toBe(false);
    expect(button('Insert and run').disabled).toBe(true);
    expect(
      button('Preview sample (uses up to 10 records of your quota)').disabled
    ).toBe(true);
    view.dispose();
  });

  it('an empty limit asks for one; the quota message gives the reset as a time, not a timestamp', async () => {
    const model = new QueryBuilderModel();
    model.setQuota({
      day: '2026-11-25',
      daily_limit: 5000,
      used: 4995,
      remaining: 5,
      resets_at: '2026-11-26T00:00:00Z'
    });
    const { q, flush, view } = await render(model);
    expect(q('#jp-vce-qb-limit-problems').textContent).toContain(
      'or wait for the reset at 00:00 UTC.'
    );
    expect(q('#jp-vce-qb-limit-problems').textContent).not.toContain(
      '2026-11-26T00:00:00Z'
    );
    setValue(q<HTMLInputElement>('#jp-vce-qb-limit'), '');
    await flush();
    expect(q('#jp-vce-qb-limit-problems').textContent).toContain(
      'Enter a limit: a whole number from 1 to 5,000.'
    );
    view.dispose();
  });

  it("every chooser is a real select in JupyterLab's HTMLSelect (caret, keyboard): category, group operator, field, operation, Add…", async () => {
    const model = new QueryBuilderModel();
    model.addGroup();
    model.setField(0, 0, 'region_code');
    model.setOperation(0, 0, 'IN');
    const { view, byLabel, q } = await render(model);
    const choosers = [
      q<HTMLSelectElement>('#jp-vce-qb-category'),
      byLabel<HTMLSelectElement>('Operator of group 1'),
      byLabel<HTMLSelectElement>('Field of condition 1 of group 1'),
      byLabel<HTMLSelectElement>('Operation of condition 1 of group 1'),
      byLabel<HTMLSelectElement>('Add a value to region_code IN')
    ];
    for (const select of choosers) {
      expect(select.tagName).toBe('SELECT');
      const wrapper = select.parentElement!;
      expect(wrapper.classList).toContain('jp-HTMLSelect');
      expect(wrapper.classList).toContain('jp-vce-Select');
      // JupyterLab's caret, beside the select.
      expect(wrapper.querySelector('select + span svg')).not.toBeNull();
      // Reached by Tab, changed by the arrow keys: a native select.
      expect(select.tabIndex).toBe(0);
      expect(select.disabled).toBe(false);
    }
    expect(choosers[4].options[0].textContent).toBe('Add…');
    // No text box looks like a chooser any more: every select is wrapped.
    expect(
      [...view.node.querySelectorAll('select')].every(select =>
        select.parentElement!.classList.contains('jp-HTMLSelect')
      )
    ).toBe(true);
    view.dispose();
  });

  it('the sidebar and the main area show one model: a change in one is in the other, and their ids differ', async () => {
    const model = new QueryBuilderModel();
    const side = await render(model, actions(), 'sidebar');
    const main = await render(model, actions(), 'main');
    expect(main.view.hasClass('jp-vce-QB-main')).toBe(true);
    expect(side.view.hasClass('jp-vce-QB-side')).toBe(true);
    setValue(main.q<HTMLInputElement>('#jp-vce-qbm-limit'), '25');
    main.view.node
      .querySelector<HTMLButtonElement>('.jp-vce-QB-textButton')!
      .click();
    await side.flush();
    await main.flush();
    expect(side.q<HTMLInputElement>('#jp-vce-qb-limit').value).toBe('25');
    expect(
      side.view.node.querySelectorAll('.jp-vce-QB-condition')
    ).toHaveLength(1);
    expect(side.q('.jp-vce-QB-code').getAttribute('data-code')).toBe(
      main.q('.jp-vce-QB-code').getAttribute('data-code')
    );
    // Each label names its own view's control (no id is in the page twice).
    const ids = [...document.querySelectorAll('[id]')].map(node => node.id);
    expect(ids.filter((id, at) => ids.indexOf(id) !== at)).toEqual([]);
    expect(main.q('label[for="jp-vce-qbm-limit"]').textContent).toBe('Limit');
    // The main area lays the query and its results side by side.
    expect(main.q('.jp-vce-QB-queryColumn')).not.toBeNull();
    expect(main.q('.jp-vce-QB-resultColumn .jp-vce-QB-code')).not.toBeNull();
    side.view.dispose();
    main.view.dispose();
  });

  it("the quota figures follow the status bar's model, the preview's too (no stale '4,940 left')", async () => {
    const quota = (used: number): Quota => ({
      day: '2026-11-25',
      daily_limit: 5000,
      used,
      remaining: 5000 - used,
      resets_at: '2026-11-26T00:00:00Z'
    });
    const status = {
      status: { signed_in: true, quota: quota(50) } as unknown as IVCEStatus,
      changed: new Signal<unknown, void>({})
    };
    const model = new QueryBuilderModel();
    const following = followQuota(model, status);
    model.setPreview({
      state: 'done',
      category: 'video',
      fields: ['id'],
      records: [{ id: 1 }],
      count: 1,
      quota: quota(60)
    });
    const { q, flush, view } = await render(model);
    const summary = () => q('.jp-vce-QB-previewResult').textContent ?? '';
    expect(q('#jp-vce-qb-quota').textContent).toBe(
      '4,950 of 5,000 records left today'
    );
    // A kernel's query moves the status bar: both figures move with it.
    status.status = {
      ...status.status,
      quota: quota(160)
    } as unknown as IVCEStatus;
    status.changed.emit();
    await flush();
    expect(q('#jp-vce-qb-quota').textContent).toBe(
      '4,840 of 5,000 records left today'
    );
    expect(summary()).toContain('4,840 of 5,000 left today');
    expect(summary()).not.toContain('4,940');
    // Once disposed it follows no more.
    following.dispose();
    status.status = {
      ...status.status,
      quota: quota(170)
    } as unknown as IVCEStatus;
    status.changed.emit();
    await flush();
    expect(q('#jp-vce-qb-quota').textContent).toBe(
      '4,840 of 5,000 records left today'
    );
    view.dispose();
  });
});
