import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { signInTestClient } from './credentials';

const STATUS_ITEM = '#jp-vce-status';
const USAGE_TEXT = /^VCE ([\d,]+) \/ 5,000$/;
const TABS = 8;

async function used(page: Page): Promise<number> {
  const text = (await page.locator(STATUS_ITEM).textContent()) ?? '';
  return Number(USAGE_TEXT.exec(text)?.[1].replace(/,/g, '') ?? NaN);
}

test.describe('many tabs of one lab', () => {
  test.beforeEach(async ({ request }) => signInTestClient(request));

  test('eight tabs all load and stay live: one event stream serves them all (a browser keeps six connections to a host)', async ({
    page
  }) => {
    test.setTimeout(180_000);
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);
    const tabs = [page];
    for (let index = 1; index < TABS; index++) {
      const tab = await page.context().newPage();
      await tab.goto(page.url());
      // With a stream per tab, the seventh tab never loaded.
      await expect(tab.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT, {
        timeout: 60_000
      });
      tabs.push(tab);
    }
    const before = await used(tabs[TABS - 1]);
    // A query from the last tab: every tab's status bar moves, from the one shared stream.
    const status = await tabs[TABS - 1].evaluate(async () => {
      const response = await fetch('/vce/api/query', {
        method: 'POST',
        body: JSON.stringify({ category: 'video', fields: 'id', limit: 1 })
      });
      return response.status;
    });
    expect(status).toBe(200);
    for (const tab of tabs) {
      await expect
        .poll(() => used(tab), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(before + 1);
    }
    for (const tab of tabs.slice(1)) {
      await tab.close();
    }
  });
});
