import { expect, test } from '@jupyterlab/galata';
import type { Page, Response } from '@playwright/test';
import { CLIENT_KEY, CLIENT_SECRET, signInTestClient } from './credentials';

const STATUS_ITEM = '#jp-vce-status';
/** Connected, with today's usage (other specs may have spent quota on the same platform). */
const USAGE_TEXT = /^VCE [\d,]+ \/ 5,000$/;

/** Open the sign-in dialog through its command (which resolves only when the dialog closes). */
async function openSignInDialog(page: Page): Promise<void> {
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute('vce:sign-in');
  });
  await expect(page.locator('.jp-Dialog')).toBeVisible();
}

async function fillSignIn(
  page: Page,
  key: string,
  secret: string
): Promise<void> {
  await page.fill('#jp-vce-client-key', key);
  await page.fill('#jp-vce-client-secret', secret);
  await page.locator('.jp-Dialog .jp-mod-accept').click();
}

test.describe('walking skeleton', () => {
  test.beforeEach(async ({ request }) => signInTestClient(request));
  test.afterEach(async ({ page }) => {
    // Leave the server signed in for the next test, whatever happened here.
    await page.evaluate(
      ([key, secret]) =>
        fetch('/vce/api/session', {
          method: 'POST',
          body: JSON.stringify({ client_key: key, client_secret: secret })
        }),
      [CLIENT_KEY, CLIENT_SECRET]
    );
  });

  test('JupyterLab loads the extension and the status bar shows usage from the platform', async ({
    page
  }) => {
    const item = page.locator(STATUS_ITEM);
    await expect(item).toHaveText(USAGE_TEXT);
    await expect(item).toHaveAttribute('data-phase', 'connected');
    await expect(item).toHaveAttribute(
      'title',
      /Test-stage records used today: [\d,]+ of 5,000/
    );
    await expect(item).toHaveAttribute(
      'title',
      new RegExp(`Client ${CLIENT_KEY}`)
    );
    await page.locator('.jp-StatusBar-Widget').screenshot({
      path: test.info().outputPath('status-bar-connected.png')
    });
  });

  test('loading JupyterLab with the extension logs no console error', async ({
    page
  }) => {
    const errors: string[] = [];
    page.on('console', message => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', error => errors.push(error.message));
    await page.reload();
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:refresh-status')
    );
    await expect(page.locator(STATUS_ITEM)).toHaveAttribute(
      'data-phase',
      'connected'
    );
    expect(errors).toEqual([]);
  });

  test('the connection details name the project and the primary researcher', async ({
    page
  }) => {
    await page.locator(STATUS_ITEM).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Virtual Compute Environment');
    await expect(dialog.locator('.jp-vce-ConnectionDetails')).toContainText(
      CLIENT_KEY
    );
    await expect(dialog.locator('.jp-vce-ConnectionDetails')).toContainText(
      /[\d,]+ \/ 5,000/
    );
    await expect(dialog.locator('.jp-vce-ConnectionDetails')).toContainText(
      'embedded local platform'
    );
    await dialog.screenshot({
      path: test.info().outputPath('connection-details.png')
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
  });

  test('the shield icon is in the right sidebar and opens the Data Clean Room panel', async ({
    page
  }) => {
    const tab = page.locator(
      '.jp-SideBar.jp-mod-right [data-id="jp-vce-shield-panel"]'
    );
    await expect(tab).toHaveCount(1);
    await tab.click();
    const panel = page.locator('#jp-vce-shield-panel');
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('Data Clean Room');
    await expect(panel).toContainText('Choose from workspace');
  });

  test('the query builder is in the left sidebar and the command palette', async ({
    page
  }) => {
    await expect(
      page.locator('.jp-SideBar.jp-mod-left [data-id="jp-vce-query-builder"]')
    ).toHaveCount(1);
    await page.keyboard.press('Control+Shift+C');
    await page.keyboard.type('Open Query Builder');
    await page
      .locator('.lm-CommandPalette-item', { hasText: 'Open Query Builder' })
      .first()
      .click();
    await expect(page.locator('#jp-vce-query-builder')).toBeVisible();
  });

  test('wrong credentials give a clear error in the dialog; right ones connect', async ({
    page
  }) => {
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:sign-out')
    );
    const item = page.locator(STATUS_ITEM);
    await expect(item).toHaveText('VCE: sign in');

    await openSignInDialog(page);
    await expect(page.locator('#jp-vce-client-secret')).toHaveAttribute(
      'type',
      'password'
    );
    await page.locator('.jp-vce-SignIn-reveal').click();
    await expect(page.locator('#jp-vce-client-secret')).toHaveAttribute(
      'type',
      'text'
    );
    await page.locator('.jp-vce-SignIn-reveal').click();

    await fillSignIn(page, CLIENT_KEY, 'not-the-secret');
    const error = page.locator('.jp-vce-SignIn-error');
    await expect(error).toContainText('incorrect');
    // What was typed is still there.
    await expect(page.locator('#jp-vce-client-key')).toHaveValue(CLIENT_KEY);
    await page.locator('.jp-Dialog').screenshot({
      path: test.info().outputPath('sign-in-refused.png')
    });

    await page.fill('#jp-vce-client-secret', CLIENT_SECRET);
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    await expect(item).toHaveText(USAGE_TEXT);
  });

  test('a server that holds no credentials asks for them as JupyterLab starts', async ({
    page
  }) => {
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:sign-out')
    );
    await expect(page.locator(STATUS_ITEM)).toHaveText('VCE: sign in');

    // A new start of JupyterLab against a server without credentials: the dialog comes by
    // itself (modal: Galata's "ready" check would wait behind it).
    await page.reload({ waitForIsReady: false });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(
      'Sign in to the Virtual Compute Environment'
    );
    await expect(page.locator('#jp-vce-client-key')).toBeFocused();
    await fillSignIn(page, CLIENT_KEY, CLIENT_SECRET);
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);

    // Signed in, a further start asks nothing.
    await page.reload();
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);
    await expect(dialog).toHaveCount(0);
  });

  test('the client secret appears in no response the browser receives', async ({
    page
  }) => {
    const bodies: { url: string; body: string }[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (response: Response) => {
      if (response.url().includes('/vce/api/events')) {
        return; // the event stream never ends: its body cannot be awaited (the server tests scan it)
      }
      pending.push(
        response
          .body()
          .then(buffer => {
            bodies.push({
              url: response.url(),
              body: buffer.toString('latin1')
            });
          })
          .catch(() => undefined) // redirects and aborted requests have no body
      );
    });
    await page.reload();
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);
    // Sign out and in again: the one request that carries the secret goes up, never down.
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:sign-out')
    );
    await openSignInDialog(page);
    await fillSignIn(page, CLIENT_KEY, CLIENT_SECRET);
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:refresh-status')
    );
    await Promise.all(pending);

    const vceResponses = bodies.filter(entry =>
      entry.url.includes('/vce/api/')
    );
    expect(vceResponses.length).toBeGreaterThan(2);
    const leaks = bodies.filter(entry => entry.body.includes(CLIENT_SECRET));
    expect(leaks.map(entry => entry.url)).toEqual([]);
  });
});
