import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { signInTestClient } from './credentials';
import {
  dismissNews,
  HIDE_TOASTS,
  JOB_TIMEOUT,
  openPanel,
  PANEL,
  setTheme,
  shotPath
} from './lab';

/**
 * Test runs rehearse the real job (issue 17 item 2): a script that pages all
 * data with page_size=100000 passes its test run (it reads the sample), and a
 * failing script's detail shows the exception's message and stderr's last
 * lines. Against the embedded platform the test server starts.
 */

const PAGED_ALL = `"""Videos per region: every video, read with the execution stage's largest page."""
import csv
import os
from collections import Counter

from pyrqs import rqs

counts = Counter()
for record in rqs.RQSClient().iter_query(category="video", fields="region_code", page_size=100000):
    counts[record["region_code"]] += 1
os.makedirs("output", exist_ok=True)
with open("output/by_region.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code", "video_count"])
    for region, count in sorted(counts.items()):
        if count >= 10:
            writer.writerow([region, count])
`;

/** Fails before reading anything: the quota stays as it is. */
const FAILING = `"""A limit past the execution stage's maximum: the platform refuses the query."""
from pyrqs import rqs

rqs.RQSClient().query(category="video", fields="region_code", limit=100001)
`;

/** Ids and one line a record: what the review refuses, with long Where lines (a table of lines). */
const LEAKING = `"""Prints ids, then each record's time and counts: row-level data."""
from pyrqs import rqs

rows = rqs.RQSClient().query(
    category="video", fields="id,create_time,like_count,view_count,share_count", limit=200
)
for r in rows:
    print(r["id"])
for r in rows:
    print(f"t={r['create_time']} likes={r['like_count']} views={r['view_count']} shares={r['share_count']}")
`;

/** Start a test run of a workspace file through the command and its dialog; the detail it opens. */
async function testRun(page: Page, file: string) {
  await page.evaluate(p => {
    void window.jupyterapp.commands.execute('vce:test-run-file', { path: p });
  }, file);
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Test run on the sample?');
  await dialog.getByRole('button', { name: 'Start test run' }).click();
  const detail = page.locator(`${PANEL} .jp-vce-Detail`);
  await expect(detail.locator('.jp-vce-Tag')).toHaveText('Test run');
  return detail;
}

async function shootBoth(page: Page, name: string): Promise<void> {
  for (const dark of [false, true]) {
    await setTheme(page, dark);
    await page.locator(PANEL).screenshot({
      path: shotPath(`${name}-${dark ? 'dark' : 'light'}.png`),
      style: HIDE_TOASTS
    });
  }
  await setTheme(page, false);
}

test.use({ autoGoto: true });

test.describe('Test runs rehearse the real job', () => {
  test.setTimeout(180_000);
  test.beforeEach(async ({ request }) => signInTestClient(request));

  test('a test run of a script paging with page_size=100000 succeeds on the sample', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      PAGED_ALL,
      'text',
      `${tmpPath}/paged_all.py`
    );
    await dismissNews(page);
    await openPanel(page);
    const detail = await testRun(page, `${tmpPath}/paged_all.py`);
    await expect(detail).toHaveAttribute('data-status', 'approved', {
      timeout: JOB_TIMEOUT
    });
    await expect(detail.locator('.jp-vce-Verdict-decision')).toHaveText(
      'Test run approved: the review would approve these outputs.'
    );
    // One page of the sample: 1,000 records, not all the data.
    await expect(detail.locator('.jp-vce-Detail-facts')).toContainText(
      'Records read1,000'
    );
    await expect(detail.locator('.jp-vce-ErrorReport')).toHaveCount(0);
    await expect(detail.locator('.jp-vce-SaveResults')).toHaveCount(0);
    await shootBoth(page, 'testrun-approved');
  });

  test("a failing script's detail shows its message and stderr's last lines", async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      FAILING,
      'text',
      `${tmpPath}/too_many.py`
    );
    await dismissNews(page);
    await openPanel(page);
    const detail = await testRun(page, `${tmpPath}/too_many.py`);
    await expect(detail).toHaveAttribute('data-status', 'failed', {
      timeout: JOB_TIMEOUT
    });
    await expect(detail.locator('.jp-vce-Detail-reason')).toHaveText(
      'The script raised ValidationError in too_many.py, line 4.'
    );
    await expect(detail.locator('.jp-vce-ErrorReport-message')).toContainText(
      'limit 100001 is not allowed: use an integer from 1 to 100,000'
    );
    const stderr = detail.locator('.jp-vce-ErrorReport-stderr pre');
    await expect(stderr).toContainText('Traceback (most recent call last):');
    await expect(stderr).toContainText('ValidationError');
    await detail.locator('.jp-vce-ErrorReport').scrollIntoViewIfNeeded();
    await shootBoth(page, 'failed-test-run');
  });

  test("a rejected test run's verdict says it is a test run; each Where fits a line or two and is not repeated in its message", async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(LEAKING, 'text', `${tmpPath}/rows.py`);
    await dismissNews(page);
    await openPanel(page);
    const detail = await testRun(page, `${tmpPath}/rows.py`);
    await expect(detail).toHaveAttribute('data-status', 'rejected', {
      timeout: JOB_TIMEOUT
    });
    const verdict = detail.locator('.jp-vce-Verdict');
    await expect(verdict.locator('h4')).toHaveText('Review of the test run');
    await expect(verdict.locator('.jp-vce-Verdict-decision')).toHaveText(
      /^Test run rejected: the review found \d+ problems?/
    );
    const groups = verdict.locator('.jp-vce-FindingGroup');
    expect(await groups.count()).toBeGreaterThan(0);
    for (const group of await groups.all()) {
      const where = group.locator('.jp-vce-Finding-place');
      const place = (await where.getAttribute('title'))!;
      const lineHeight = await where.evaluate(node =>
        parseFloat(getComputedStyle(node).lineHeight)
      );
      const box = (await where.boundingBox())!;
      expect(box.height).toBeLessThanOrEqual(2 * lineHeight + 1);
      // The message does not say the place again.
      const location = place.slice(place.indexOf(', ') + 2);
      for (const message of await group
        .locator('.jp-vce-Finding-message')
        .allTextContents()) {
        expect(message).not.toContain(`(${location})`);
      }
    }
    await expect(
      verdict.locator('.jp-vce-Finding[data-rule="identifier_value"]')
    ).toContainText('The file contains 200 lines with ids of the data set');
    await verdict.scrollIntoViewIfNeeded();
    await shootBoth(page, 'testrun-rejected');
  });
});
