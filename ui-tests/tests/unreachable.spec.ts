import { expect, test } from '@jupyterlab/galata';
import { signInTestClient } from './credentials';

const STATUS_ITEM = '#jp-vce-status';
/** Connected, with today's usage (other specs may have spent quota on the same platform). */
const USAGE_TEXT = /^VCE [\d,]+ \/ 5,000$/;
/** JupyterLab adds a cache-busting query to GET requests. */
const STATUS_ROUTE = /\/vce\/api\/status(\?.*)?$/;

test.beforeEach(async ({ request }) => signInTestClient(request));

test('an unreachable platform shows its state, retries, and recovers on its own', async ({
  page
}) => {
  const item = page.locator(STATUS_ITEM);
  await expect(item).toHaveText(USAGE_TEXT);

  // The platform goes away: the server extension reports it as unreachable.
  let calls = 0;
  await page.route(STATUS_ROUTE, async route => {
    calls += 1;
    const response = await route.fetch();
    const status = await response.json();
    await route.fulfill({
      response,
      json: {
        ...status,
        identity: null,
        quota: null,
        platform: {
          state: 'unreachable',
          message:
            'The platform at http://127.0.0.1:1 is not answering; retrying.'
        }
      }
    });
  });
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('vce:refresh-status')
  );
  await expect(item).toHaveText('VCE unreachable');
  await expect(item).toHaveAttribute('data-phase', 'unreachable');
  await expect(item).toHaveAttribute(
    'title',
    /is not answering; retrying\. Next attempt in \d+ s/
  );
  await page.locator('.jp-StatusBar-Widget').screenshot({
    path: test.info().outputPath('status-bar-unreachable.png')
  });

  // It retries by itself, with backoff (first retry about 2 s later).
  await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

  // The platform comes back: the next retry recovers without a reload.
  await page.unroute(STATUS_ROUTE);
  await expect(item).toHaveText(USAGE_TEXT, { timeout: 30_000 });
});
