/**
 * The hub the browser tests run against: scripts/start-hub.sh on ports of its own
 * (not the team default 8000/8911, not the lab tests' 8888), with a fresh state
 * folder whose demo clients file (hub_state.py) holds the credentials.
 */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export const HUB_PORT = Number(process.env.VCE_HUB_TEST_PORT ?? 8040);
export const PLATFORM_PORT = Number(
  process.env.VCE_HUB_TEST_PLATFORM_PORT ?? 8941
);
export const HUB_URL = `http://127.0.0.1:${HUB_PORT}`;
export const STATE_DIR =
  process.env.VCE_HUB_TEST_STATE_DIR ??
  path.join(tmpdir(), `vce-hub-galata-${HUB_PORT}`);

export interface IClient {
  client_key: string;
  client_secret: string;
  email: string;
}

/** The demo clients start-hub.sh wrote into the test hub's state folder. */
export function clients(): { researchers: IClient[]; reviewers: IClient[] } {
  return JSON.parse(readFileSync(path.join(STATE_DIR, 'clients.json'), 'utf8'));
}

/** The VCE login page: fill the pair and sign in. */
export async function submitLogin(
  page: Page,
  key: string,
  secret: string
): Promise<void> {
  await page.goto(`${HUB_URL}/hub/login`);
  await page.getByLabel('Client key').fill(key);
  await page.getByLabel('Client secret', { exact: true }).fill(secret);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** The status bar item of the extension. */
export const STATUS_ITEM = '#jp-vce-status';

/** Signed in, the researcher's own JupyterLab is up and the status bar connected. */
export async function expectLab(page: Page, user: string): Promise<void> {
  await expect(page).toHaveURL(
    new RegExp(`/user/${user}/lab`),
    { timeout: 120_000 } // the first spawn of a lab
  );
  await expect(page.locator(STATUS_ITEM)).toHaveAttribute(
    'data-phase',
    'connected',
    { timeout: 60_000 }
  );
}

/**
 * Write a file into the researcher's lab through Jupyter's contents API, from the
 * page (its cookies and XSRF token), as the lab's own upload does.
 */
export async function putFile(
  page: Page,
  user: string,
  name: string,
  content: object | string
): Promise<void> {
  const status = await page.evaluate(
    async ({ url, body }) => {
      const xsrf = /(?:^|; )_xsrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch(url, {
        method: 'PUT',
        headers: {
          'Content-Type': 'application/json',
          'X-XSRFToken': decodeURIComponent(xsrf)
        },
        body
      });
      return response.status;
    },
    {
      url: `/user/${user}/api/contents/${name}`,
      body: JSON.stringify(
        typeof content === 'string'
          ? { type: 'file', format: 'text', content }
          : { type: 'notebook', format: 'json', content }
      )
    }
  );
  expect(status).toBeLessThan(300);
}

/** Close JupyterLab's "news" question so it does not cover the panels. */
export async function dismissNews(page: Page): Promise<void> {
  const no = page
    .locator('.jp-Notification-Toast')
    .getByRole('button', { name: 'No' });
  if (await no.count()) {
    await no.first().click();
  }
}
