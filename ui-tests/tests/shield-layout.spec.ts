import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { signInTestClient } from './credentials';
import { dismissNews, openPanel, PANEL } from './lab';

/**
 * The shield sidebar's sections load on first show (jobs/session.ts) and the
 * Submit section goes into the panel's header after the panel was laid out:
 * the Jobs section must still end inside the panel (it ran past its bottom,
 * so a finished job's *Verify attestation* could not be scrolled to).
 */

/** The Jobs section's bottom and the panel's, once the sections loaded. */
async function bottoms(page: Page): Promise<{ jobs: number; panel: number }> {
  const jobs = await page
    .locator(`${PANEL} .jp-vce-JobsSection`)
    .evaluate(node => node.getBoundingClientRect().bottom);
  const panel = await page
    .locator(PANEL)
    .evaluate(node => node.getBoundingClientRect().bottom);
  return { jobs, panel };
}

async function expectJobsInsidePanel(page: Page): Promise<void> {
  await expect(page.locator(`${PANEL} .jp-vce-SubmitSection`)).toBeVisible();
  await expect(page.locator(`${PANEL} .jp-vce-JobsSection`)).toBeVisible();
  // Give a stale layout the time to show (it never corrects itself).
  await page.waitForTimeout(500);
  await expect
    .poll(async () => {
      const { jobs, panel } = await bottoms(page);
      return jobs <= panel + 0.5;
    })
    .toBe(true);
}

test.describe('Shield sidebar layout', () => {
  test.beforeEach(async ({ request }) => {
    await signInTestClient(request);
  });

  test('the Jobs section ends inside the panel on first open', async ({
    page
  }) => {
    await dismissNews(page);
    await openPanel(page);
    await expectJobsInsidePanel(page);
  });

  test('and after a reload with the panel open', async ({ page }) => {
    await dismissNews(page);
    await openPanel(page);
    await expectJobsInsidePanel(page);
    await page.reload();
    await expect(page.locator(PANEL)).toBeVisible({ timeout: 60_000 });
    await expectJobsInsidePanel(page);
  });

  test("the toolbar's Inbox button has a space between its icon and label", async ({
    page
  }) => {
    await dismissNews(page);
    await openPanel(page);
    const button = page.locator(
      `${PANEL} .jp-SidePanel-toolbar .jp-ToolbarButtonComponent`,
      { hasText: 'Inbox' }
    );
    await expect(button).toBeVisible();
    const gap = await button.evaluate(node => {
      const icon = node.querySelector('svg')!.getBoundingClientRect();
      const label = node
        .querySelector('.jp-ToolbarButtonComponent-label')!
        .getBoundingClientRect();
      return label.left - icon.right;
    });
    expect(gap).toBeGreaterThanOrEqual(4);
  });
});
