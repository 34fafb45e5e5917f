/**
 * Sign-out that holds (issue 17, items 3 and 4), as a researcher meets it.
 *
 * A kernel holds no client secret: its pyrqs reaches the platform through the
 * Jupyter server's kernel route with a kernel token. After *Sign out* its next
 * query fails at once with the sign-out message and spends nothing; after
 * signing in again the same kernel (no restart) queries again. The connection
 * details show the local platform's client and reveal its secret on request.
 *
 * Spends 6 test-stage records of the shared embedded platform; the quota
 * assertions are relative, so the specs run in any order.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { CLIENT_KEY, CLIENT_SECRET, signInTestClient } from './credentials';
import { setTheme, shotPath } from './lab';

const STATUS_ITEM = '#jp-vce-status';
const USAGE_TEXT = /^VCE [\d,]+ \/ 5,000$/;
const SIGNED_OUT = 'Signed out of the VCE: sign in again (status bar)';

/** One query of 3 records in the notebook's kernel; prints the records used today. */
const QUERY_CELL = [
  'from pyrqs import rqs',
  "client = globals().get('client') or rqs.RQSClient()",
  "result = client.query(category='video', fields='id', limit=3)",
  "print('used', result.quota['used'])"
].join('\n');

/** Add a code cell at the end (as text: typed, its lines would be auto-indented), run it. */
async function runNew(page: Page, source: string): Promise<string> {
  const index = await page.notebook.getCellCount();
  await page.evaluate(
    ({ at, text }) => {
      const notebook = (window.jupyterapp.shell.currentWidget as any).content;
      notebook.model.sharedModel.insertCell(at, {
        cell_type: 'code',
        source: text
      });
    },
    { at: index, text: source }
  );
  await page.notebook.runCell(index);
  return (await page.notebook.getCellTextOutput(index))?.join('\n') ?? '';
}

function usedIn(output: string): number {
  const match = /used (\d+)/.exec(output);
  if (!match) {
    throw new Error(`No "used N" in the cell's output: ${output}`);
  }
  return Number(match[1]);
}

test.describe('sign-out that holds', () => {
  test.use({ autoGoto: true });
  test.beforeEach(async ({ request }) => signInTestClient(request));
  test.afterEach(async ({ page, request }) => {
    await setTheme(page, false).catch(() => undefined);
    await signInTestClient(request);
  });

  test('a kernel holds no secret; after sign-out its query fails at once and spends nothing; after sign-in the same kernel works', async ({
    page
  }) => {
    test.setTimeout(180_000); // a kernel start and five cells
    await page.notebook.createNew('signout.ipynb');
    const environment = await runNew(
      page,
      [
        'import os',
        "print('secret' if 'RQS_CLIENT_SECRET' in os.environ else 'no secret')",
        "print('key' if 'RQS_CLIENT_KEY' in os.environ else 'no key')",
        "print(os.environ['RQS_API_URL'])",
        `print('holding the secret:', [k for k, v in os.environ.items() if ${JSON.stringify(CLIENT_SECRET)} in v])`
      ].join('\n')
    );
    expect(environment).toContain('no secret');
    expect(environment).toContain('no key');
    expect(environment).toMatch(/http:\/\/127\.0\.0\.1:\d+\/vce\/platform/);
    expect(environment).toContain('holding the secret: []');

    const before = usedIn(await runNew(page, QUERY_CELL));
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);

    // Sign out the way a researcher does: the status bar, then the details' Sign out.
    await page.locator(STATUS_ITEM).click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.locator(STATUS_ITEM)).toHaveText('VCE: sign in');

    // The same kernel, the same client object: refused at once, with the message.
    const started = Date.now();
    const refused = await runNew(page, QUERY_CELL);
    expect(refused).toContain(`AuthenticationError: ${SIGNED_OUT}`);
    expect(Date.now() - started).toBeLessThan(10_000);
    // A fresh client in the same kernel too (what a restarted kernel would do).
    const fresh = await runNew(
      page,
      "rqs.RQSClient().query(category='video', fields='id', limit=3)"
    );
    expect(fresh).toContain(SIGNED_OUT);

    // Sign in again from the status bar: the dialog names the local client and fills it in.
    await page.locator(STATUS_ITEM).click();
    await expect(dialog).toContainText(
      'Sign in to the Virtual Compute Environment'
    );
    await expect(dialog.locator('#jp-vce-SignIn-help')).toContainText(
      'local stand-in'
    );
    await expect(dialog.locator('.jp-vce-LocalClient-key')).toHaveText(
      CLIENT_KEY
    );
    await dialog.getByRole('button', { name: 'Use the local client' }).click();
    await expect(page.locator('#jp-vce-client-key')).toHaveValue(CLIENT_KEY);
    await dialog.locator('.jp-mod-accept').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);

    // No restart: the kernel's next query works, and the refused ones cost nothing.
    const after = usedIn(await runNew(page, QUERY_CELL));
    expect(after).toBe(before + 3);
    // The status bar follows the kernel's query (the platform's quota event).
    await expect(page.locator(STATUS_ITEM)).toHaveText(
      `VCE ${after.toLocaleString('en-US')} / 5,000`,
      { timeout: 2000 }
    );
  });

  test('the connection details show the local client and reveal its secret on request', async ({
    page
  }) => {
    await expect(page.locator(STATUS_ITEM)).toHaveText(USAGE_TEXT);
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(page, theme === 'Dark');
      await page.locator(STATUS_ITEM).click();
      const dialog = page.locator('.jp-Dialog');
      const local = dialog.locator('.jp-vce-LocalClient');
      await expect(local).toContainText(CLIENT_KEY);
      await expect(local).not.toContainText(CLIENT_SECRET);
      await local.getByRole('button', { name: 'Reveal' }).click();
      await expect(local.locator('.jp-vce-LocalClient-secret')).toHaveText(
        CLIENT_SECRET
      );
      await dialog.locator('.jp-Dialog-content').screenshot({
        path: shotPath(`connection-details-${theme.toLowerCase()}.png`)
      });
      await local.getByRole('button', { name: 'Hide' }).click();
      await expect(local).not.toContainText(CLIENT_SECRET);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(dialog).toHaveCount(0);
    }
  });
});
