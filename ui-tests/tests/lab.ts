/**
 * What the lab's browser tests share: the Data Clean Room panel, its timeouts,
 * the theme, and where screenshots go.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as path from 'path';

/** The Data Clean Room (shield) panel. */
export const PANEL = '#jp-vce-shield-panel';
/** A real run goes through the sandbox and the review: allow it time. */
export const JOB_TIMEOUT = 90_000;
/** Screenshot style that hides toasts, so they cover nothing. */
export const HIDE_TOASTS = '.Toastify { display: none !important; }';

/** Screenshots asked for by an issue: into VCE_SHOTS when set, else the test's output folder. */
export function shotPath(name: string): string {
  return process.env.VCE_SHOTS
    ? path.join(process.env.VCE_SHOTS, name)
    : test.info().outputPath(name);
}

/** Open the Data Clean Room panel through its command. */
export async function openPanel(page: Page): Promise<void> {
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('vce:open-data-clean-room')
  );
  await expect(page.locator(PANEL)).toBeVisible();
}

/** Close JupyterLab's own "news" toast so it does not cover the panel. */
export async function dismissNews(page: Page): Promise<void> {
  const no = page
    .locator('.jp-Notification-Toast')
    .getByRole('button', { name: 'No' });
  if (await no.count()) {
    await no.first().click();
  }
}

/** Switch to JupyterLab's dark or light theme and wait until it applies. */
export async function setTheme(page: Page, dark: boolean): Promise<void> {
  await page.evaluate(
    async theme => {
      await window.jupyterapp.commands.execute('apputils:change-theme', {
        theme
      });
    },
    dark ? 'JupyterLab Dark' : 'JupyterLab Light'
  );
  await expect(page.locator('body')).toHaveAttribute(
    'data-jp-theme-light',
    dark ? 'false' : 'true'
  );
}
