import { expect, test } from '@jupyterlab/galata';
import { signInTestClient } from './credentials';

const STATUS_ITEM = '#jp-vce-status';
/** Connected, with today's usage (other specs may have spent quota on the same platform). */
const USAGE_TEXT = /^VCE [\d,]+ \/ 5,000$/;
/** JupyterLab adds a cache-busting query to GET requests. */
const STATUS_ROUTE = /\/vce\/api\/status(\?.*)?$/;
const STARTING_MESSAGE =
  'The local platform is starting; try again in a moment.';

test.beforeEach(async ({ request }) => signInTestClient(request));

test('the embedded platform starting shows "Platform starting…", then connects on its own', async ({
  page
}) => {
  const item = page.locator(STATUS_ITEM);
  await expect(item).toHaveText(USAGE_TEXT);

  // The server extension says the embedded platform was spawned and does not answer yet.
  let calls = 0;
  await page.route(STATUS_ROUTE, async route => {
    calls += 1;
    const response = await route.fetch();
    const status = await response.json();
    await route.fulfill({
      response,
      json: {
        ...status,
        platform_url: null,
        identity: null,
        quota: null,
        platform: { state: 'starting', message: STARTING_MESSAGE }
      }
    });
  });
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('vce:refresh-status')
  );
  await expect(item).toHaveText('Platform starting…');
  await expect(item).toHaveAttribute('data-phase', 'starting');
  await expect(item).toHaveAttribute(
    'title',
    `${STARTING_MESSAGE} The status moves on by itself as soon as it answers.`
  );
  await page.locator('.jp-StatusBar-Widget').screenshot({
    path: test.info().outputPath('status-bar-starting.png')
  });

  // It keeps asking (every second while starting) without a click.
  await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

  // The platform answers: the next ask shows it connected, without a reload.
  await page.unroute(STATUS_ROUTE);
  await expect(item).toHaveText(USAGE_TEXT, { timeout: 15_000 });
});
