/**
 * The MIME renderer of the SDK's results and its table: count, quota left,
 * columns in the requested order, text only, long results cut.
 */
import extension, { rendererFactory } from '../../renderer';
import {
  columnsOf,
  QUERY_RESULT_MIME,
  renderResult,
  ROWS_SHOWN,
  summaryOf
} from '../../renderer/table';

const quota = {
  day: '2026-11-25',
  daily_limit: 5000,
  used: 10,
  remaining: 4990,
  resets_at: '2026-11-26T00:00:00Z'
};
const records = Array.from({ length: 10 }, (_, i) => ({
  id: 7100000000000000 + i,
  display_name: `<b>user ${i}</b>`,
  create_time: 1700000000 + i,
  hashtag_names: ['a', 'b']
}));
const payload = {
  category: 'video',
  fields: ['display_name', 'create_time', 'id'],
  count: 10,
  records,
  quota,
  has_more: false,
  log_id: 'x'
};

describe('the query result table', () => {
  it('sums up the count and the quota left', () => {
    expect(summaryOf(payload)).toBe(
      '10 video records · 4,990 of 5,000 left today (resets 2026-11-26 00:00 UTC)'
    );
    expect(summaryOf({ records: [{}] })).toBe('1 record');
    expect(
      summaryOf({ records: [], has_more: true, category: 'user', count: 0 })
    ).toBe('0 user records · more pages available');
  });

  it('puts the requested fields first, then any other key', () => {
    expect(columnsOf(payload)).toEqual([
      'display_name',
      'create_time',
      'id',
      'hashtag_names'
    ]);
  });

  it('renders rows as text, never as HTML', () => {
    const host = document.createElement('div');
    renderResult(host, payload);
    expect(host.querySelectorAll('tbody tr')).toHaveLength(10);
    expect(
      [...host.querySelectorAll('thead th')].map(th => th.textContent)
    ).toEqual(['#', 'display_name', 'create_time', 'id', 'hashtag_names']);
    expect(host.querySelector('b')).toBeNull();
    expect(host.querySelector('tbody td')!.textContent).toBe('<b>user 0</b>');
    expect(
      host.querySelectorAll('tbody tr')[0].lastElementChild!.textContent
    ).toBe('["a","b"]');
  });

  it('shows the first rows of a long result and the rest on demand', () => {
    const host = document.createElement('div');
    const many = Array.from({ length: 250 }, (_, id) => ({ id }));
    renderResult(host, { records: many, fields: ['id'] });
    expect(host.querySelectorAll('tbody tr')).toHaveLength(ROWS_SHOWN);
    const more = host.querySelector('button')!;
    expect(more.textContent).toBe('Show all 250 records');
    more.click();
    expect(host.querySelectorAll('tbody tr')).toHaveLength(250);
    expect(host.querySelector('button')).toBeNull();
  });

  it('says when nothing matched', () => {
    const host = document.createElement('div');
    renderResult(host, { records: [], count: 0, category: 'video', quota });
    expect(host.textContent).toContain('No records matched.');
  });
});

/** The part of a MIME model the renderer reads. */
const mimeModel = (data: unknown) =>
  ({ data: { [QUERY_RESULT_MIME]: data }, metadata: {}, trusted: true }) as any;

describe('the MIME renderer', () => {
  it('is registered for the SDK mime type', () => {
    expect(extension.rendererFactory.mimeTypes).toEqual([QUERY_RESULT_MIME]);
    expect(QUERY_RESULT_MIME).toBe('application/vnd.vce.query-result+json');
  });

  it('renders the bundle of a QueryResult', async () => {
    const renderer = rendererFactory.createRenderer({
      mimeType: QUERY_RESULT_MIME,
      sanitizer: { sanitize: (text: string) => text },
      resolver: null,
      linkHandler: null,
      latexTypesetter: null
    } as any);
    await renderer.renderModel(mimeModel(payload));
    expect(
      renderer.node.querySelector('.jp-vce-Result-summary')!.textContent
    ).toContain('10 video records');
    await renderer.renderModel(mimeModel({ nope: 1 }));
    expect(renderer.node.textContent).toContain('cannot be shown');
  });
});
