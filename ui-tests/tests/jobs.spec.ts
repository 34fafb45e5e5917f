import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { CLIENT_KEY, CLIENT_SECRET, signInTestClient } from './credentials';
import {
  dismissNews,
  HIDE_TOASTS,
  JOB_TIMEOUT,
  openPanel,
  PANEL,
  shotPath
} from './lab';
import * as path from 'path';

/**
 * The execution stage of the platform's guide (docs/research/vce-getting-started.txt)
 * from the shield icon: submit through the dialog,
 * follow the job live, read the verdict, download and verify the results.
 * Against the embedded platform (server-mock) that the test server starts.
 */

/**
 * The committed screenshots (ui-tests/screenshots/) are rewritten only with
 * VCE_UPDATE_SCREENSHOTS=1; otherwise they go to the test's output folder, so
 * a test run leaves the work tree clean.
 */
const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
function screenshotPath(name: string): string {
  return process.env.VCE_UPDATE_SCREENSHOTS
    ? path.join(SCREENSHOTS, name)
    : test.info().outputPath(name);
}
/** Screenshots show the panel, not the toasts over it (the notifications are checked apart). */

async function shoot(page: Page, name: string, full = false): Promise<void> {
  const target = full ? page : page.locator(PANEL);
  await target.screenshot({ path: screenshotPath(name), style: HIDE_TOASTS });
}

/** The honest aggregate, one text for every suite (server-mock/test-vectors/README.md). */
const HONEST = readFileSync(
  path.join(__dirname, '../../server-mock/test-vectors/analysis-job.py'),
  'utf8'
);

const LEAKING = `"""Writes raw video ids and usernames: row-level data the review must refuse."""
import csv
import os

from pyrqs import rqs

rows = rqs.RQSClient().query(
    category='video',
    condition_groups=[{"operator": "and", "conditions": [
        {"field": "like_count", "operator": "gte", "field_values": ["0"]}]}],
    fields='id,username',
    limit=500,
)
os.makedirs('output', exist_ok=True)
with open('output/videos.csv', 'w', newline='') as out:
    writer = csv.writer(out)
    writer.writerow(['id', 'username'])
    for row in rows:
        writer.writerow([row['id'], row['username']])
`;

/** Per-creator counts: not aggregated enough. It reads no data, so the test-stage quota stays untouched. */
const PER_CREATOR = `"""Videos per creator: one row per person, small counts."""
import csv
import os

os.makedirs('output', exist_ok=True)
with open('output/per_creator.csv', 'w', newline='') as out:
    writer = csv.writer(out)
    writer.writerow(['username', 'videos'])
    for index in range(30):
        writer.writerow([f'creator_{index}', 3])
`;

const LONG = `"""Runs for a long time: the researcher cancels it."""
import time

for _ in range(900):
    time.sleep(1)
`;

async function primaryEmail(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const response = await fetch('/vce/api/identity');
    return (await response.json()).data.primary_researcher_email as string;
  });
}

/** A notification with this text and these actions (to the job) was emitted. */
async function expectNotification(
  page: Page,
  text: string,
  actions = 'Open'
): Promise<void> {
  await expect
    .poll(async () =>
      (await page.notifications)
        .filter(notification => notification.message.includes(text))
        .map(notification =>
          (notification.options.actions ?? [])
            .map(action => action.label)
            .join(',')
        )
    )
    .toEqual([actions]);
}

test.use({ autoGoto: true });

test.describe('Data Clean Room', () => {
  test.setTimeout(180_000);
  test.beforeEach(async ({ request }) => signInTestClient(request));

  test('an honest script: submit through the dialog, approved live, download into the workspace, verified', async ({
    page,
    tmpPath
  }) => {
    const script = `${tmpPath}/regions.py`;
    await page.contents.uploadContent(HONEST, 'text', script);
    await page.filebrowser.open(script);
    await dismissNews(page);
    await openPanel(page);
    await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(
      'regions.py'
    );
    await expect(page.locator(`${PANEL} .jp-vce-Live`)).toHaveText('Live');

    await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Submit a job to Data Clean Room?');
    await expect(dialog).toContainText(script);
    await expect(dialog).toContainText(`${Buffer.byteLength(HONEST)} B`);
    await expect(dialog).toContainText(
      createHash('sha256').update(HONEST).digest('hex')
    );
    await expect(dialog).toContainText('against all public data');
    await expect(dialog).toContainText('only aggregated results may leave');
    await expect(dialog).toContainText(await primaryEmail(page));
    await dialog.screenshot({ path: screenshotPath('jobs-confirm-light.png') });
    await dialog.getByRole('button', { name: 'Submit job' }).click();

    // The detail opens and follows the job to approved, without a reload.
    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    await expect(detail).toBeVisible();
    const jobId = await detail.getAttribute('data-job-id');
    expect(jobId).toMatch(/^job_/);
    await expect(detail).toHaveAttribute('data-status', 'approved', {
      timeout: JOB_TIMEOUT
    });
    await expect(detail.locator('.jp-vce-Verdict')).toContainText(
      'Approved: the results are aggregated.'
    );
    await expect(detail.locator('.jp-vce-Mail')).toContainText(
      `The download link was mailed to ${await primaryEmail(page)}`
    );
    await expectNotification(page, 'was approved', 'Open,Download');

    const download = page.waitForEvent('download');
    await detail.locator('.jp-vce-DownloadResults').click();
    expect((await download).suggestedFilename()).toBe(`${jobId}-results.zip`);

    await detail.locator('.jp-vce-SaveResults').click();
    await expect(detail.locator('.jp-vce-Saved')).toContainText(
      `dcr-results/${jobId}`
    );
    expect(
      await page.contents.fileExists(
        `dcr-results/${jobId}/results/videos_by_region.csv`
      )
    ).toBe(true);
    await expect(detail.locator('.jp-vce-Attestation-result')).toContainText(
      'Verified: these outputs came from this script',
      { timeout: 20_000 }
    );
    await expect(detail.locator('.jp-vce-Hashes li').first()).toHaveAttribute(
      'data-matches',
      'true'
    );
    await shoot(page, 'jobs-approved-light.png');
    await shoot(page, 'jobs-approved-light-full.png', true);
    await detail.locator('.jp-vce-Attestation').scrollIntoViewIfNeeded();
    await shoot(page, 'jobs-verified-light.png');

    await page.theme.setDarkTheme();
    await shoot(page, 'jobs-approved-dark.png');
    await detail.locator('.jp-vce-Back').click();
    await expect(
      page.locator(`${PANEL} .jp-vce-JobItem`).first()
    ).toHaveAttribute('data-job-id', jobId!);
    await shoot(page, 'jobs-list-dark.png');
    await page.theme.setLightTheme();
    await shoot(page, 'jobs-list-light.png');
  });

  test('a leaking script from the file browser context menu: rejected, with reasons and places', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(LEAKING, 'text', `${tmpPath}/leak.py`);
    await dismissNews(page);
    await page.filebrowser.openDirectory(tmpPath);
    await page
      .locator('.jp-DirListing-item', { hasText: 'leak.py' })
      .click({ button: 'right' });
    await page
      .locator('.lm-Menu-item', { hasText: 'Submit to Data Clean Room' })
      .click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('leak.py');
    await dialog.getByRole('button', { name: 'Submit job' }).click();

    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    await expect(detail).toHaveAttribute('data-status', 'rejected', {
      timeout: JOB_TIMEOUT
    });
    const verdict = detail.locator('.jp-vce-Verdict');
    await expect(verdict).toContainText('Rejected: the review found');
    const identifiers = verdict
      .locator('.jp-vce-Finding[data-rule="identifier_column"]')
      .first();
    await expect(identifiers).toContainText('A column of identifiers');
    // Findings come by place: the place once, every rule it breaks under it.
    const place = verdict
      .locator('.jp-vce-FindingGroup')
      .filter({ has: page.locator('[data-rule="identifier_column"]') })
      .first();
    await expect(place.locator('.jp-vce-Finding-place')).toContainText(
      'Where: videos.csv, column'
    );
    await expect(detail.locator('.jp-vce-SaveResults')).toHaveCount(0);
    await expectNotification(page, 'ended: Rejected');
    await shoot(page, 'jobs-rejected-light.png');
    await page.theme.setDarkTheme();
    await shoot(page, 'jobs-rejected-dark.png');
    await shoot(page, 'jobs-rejected-dark-full.png', true);
    await page.theme.setLightTheme();
  });

  test('a long job picked from the workspace list is cancelled while it runs', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      LONG,
      'text',
      `${tmpPath}/long_running.py`
    );
    await dismissNews(page);
    await openPanel(page);
    await page.locator(`${PANEL} .jp-vce-PickButton`).click();
    await page.locator(`${PANEL} .jp-vce-Picker-search`).fill('long_run');
    await page
      .locator(`${PANEL} .jp-vce-Picker-item`, { hasText: 'long_running.py' })
      .click();
    await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(
      'long_running.py'
    );
    await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Submit job' })
      .click();

    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    await expect(detail).toHaveAttribute('data-status', 'running', {
      timeout: JOB_TIMEOUT
    });
    await detail.locator('.jp-vce-Cancel').click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Cancel job' })
      .click();
    await expect(detail).toHaveAttribute('data-status', 'cancelled', {
      timeout: 30_000
    });
    await expect(detail).toContainText('Cancelled: nothing was released.');
    await expect(detail.locator('.jp-vce-Cancel')).toHaveCount(0);
    await expect(detail.locator('.jp-vce-Resubmit')).toBeVisible();
  });

  test("a test run of a per-creator table, dropped onto the panel: the review's verdict, nothing released", async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      PER_CREATOR,
      'text',
      `${tmpPath}/rehearse.py`
    );
    await dismissNews(page);
    await openPanel(page);
    await page.filebrowser.openDirectory(tmpPath);
    // Drag from the file browser and drop onto the panel: it is offered for submission.
    const from = (await page
      .locator('.jp-DirListing-item', { hasText: 'rehearse.py' })
      .boundingBox())!;
    const to = (await page
      .locator(`${PANEL} .jp-vce-JobsSection`)
      .boundingBox())!;
    await page.mouse.move(from.x + 30, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + from.height / 2, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, {
      steps: 15
    });
    await page.mouse.up();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('rehearse.py');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);

    // The command resolves when the dialog closes: do not wait for it here.
    await page.evaluate(p => {
      void window.jupyterapp.commands.execute('vce:test-run-file', { path: p });
    }, `${tmpPath}/rehearse.py`);
    await expect(dialog).toContainText('Test run on the sample?');
    await expect(dialog).toContainText('Nothing is released');
    await dialog.getByRole('button', { name: 'Start test run' }).click();
    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    await expect(detail.locator('.jp-vce-Tag')).toHaveText('Test run');
    await expect(detail).toHaveAttribute('data-status', 'rejected', {
      timeout: JOB_TIMEOUT
    });
    await expect(
      detail
        .locator('.jp-vce-FindingGroup')
        .filter({ has: page.locator('[data-rule="identifier_column"]') })
        .locator('.jp-vce-Finding-place')
    ).toHaveText('Where: per_creator.csv, column 1 (username)');
    await expect(
      detail.locator('.jp-vce-Finding[data-rule="small_count"]')
    ).toContainText('A count below the threshold');
    await expect(detail.locator('.jp-vce-SaveResults')).toHaveCount(0);
    await shoot(page, 'jobs-test-run-light.png');
  });

  test('two runs of one script (and its test run) are told apart in the list: time, short id, full name on hover', async ({
    page,
    tmpPath
  }) => {
    const name = 'videos_by_region_and_length_per_month.py';
    const script = `${tmpPath}/${name}`;
    await page.contents.uploadContent(
      'print("rows written:", 12)\n',
      'text',
      script
    );
    await dismissNews(page);
    await openPanel(page);
    const dialog = page.locator('.jp-Dialog');
    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    const ids: string[] = [];
    for (const run of ['job', 'test', 'job']) {
      // The command resolves when the dialog closes: do not wait for it here.
      await page.evaluate(
        ([command, p]) => {
          void window.jupyterapp.commands.execute(command, { path: p });
        },
        [run === 'test' ? 'vce:test-run-file' : 'vce:submit-file', script]
      );
      await dialog
        .getByRole('button', {
          name: run === 'test' ? 'Start test run' : 'Submit job'
        })
        .click();
      await expect(detail).toHaveAttribute('data-status', /approved|rejected/, {
        timeout: JOB_TIMEOUT
      });
      ids.push((await detail.getAttribute('data-job-id'))!);
      await detail.locator('.jp-vce-Back').click();
    }
    const items = page.locator(`${PANEL} .jp-vce-JobItem`, {
      has: page.locator('.jp-vce-JobItem-file', { hasText: name })
    });
    await expect(items).toHaveCount(3);
    // Newest first; each with its submitted time and the end of its id.
    const shown = await items.evaluateAll(nodes =>
      nodes.map(node => ({
        id: node.getAttribute('data-job-id'),
        time: node.querySelector('.jp-vce-JobItem-time')?.textContent,
        short: node.querySelector('.jp-vce-JobItem-id')?.textContent,
        tag: node.querySelector('.jp-vce-JobItem-meta .jp-vce-Tag')
          ?.textContent,
        title: node.querySelector('button')?.getAttribute('title')
      }))
    );
    expect(shown.map(item => item.id)).toEqual([...ids].reverse());
    for (const item of shown) {
      expect(item.time).toMatch(/^\d\d:\d\d$/);
      expect(item.id!.endsWith(item.short!)).toBe(true);
      expect(item.short).toHaveLength(6);
      // The full name on hover, however narrow the panel cuts it.
      expect(item.title!.split('\n')[0]).toBe(name);
      expect(item.title).toContain(`Id: ${item.id}`);
    }
    expect(new Set(shown.map(item => item.short)).size).toBe(3);
    expect(shown.map(item => item.tag ?? null)).toEqual([
      null,
      'Test run',
      null
    ]);
    await page.locator(`${PANEL} .jp-vce-JobList`).scrollIntoViewIfNeeded();
    await page.theme.setLightTheme();
    await page.locator(PANEL).screenshot({
      path: shotPath('jobs-list-two-runs-light.png'),
      style: HIDE_TOASTS
    });
    await page.theme.setDarkTheme();
    await page.locator(PANEL).screenshot({
      path: shotPath('jobs-list-two-runs-dark.png'),
      style: HIDE_TOASTS
    });
    await page.theme.setLightTheme();
  });

  test('unsaved changes: the panel offers to save before submitting', async ({
    page,
    tmpPath
  }) => {
    const script = `${tmpPath}/draft.py`;
    await page.contents.uploadContent('print("draft")\n', 'text', script);
    await page.filebrowser.open(script);
    await page.locator('.jp-FileEditor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('print("more")\n');
    await dismissNews(page);
    await openPanel(page);
    await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Save draft.py before submitting?');
    await dialog.getByRole('button', { name: 'Save and submit' }).click();
    await expect(dialog).toContainText('Submit a job to Data Clean Room?');
    await expect(dialog).toContainText(
      createHash('sha256')
        .update('print("draft")\nprint("more")\n')
        .digest('hex')
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
  });

  test('a new script named at its first save is submitted under that name', async ({
    page,
    tmpPath
  }) => {
    await dismissNews(page);
    await openPanel(page);
    await page.evaluate(async cwd => {
      await window.jupyterapp.commands.execute('fileeditor:create-new', {
        cwd,
        fileExt: '.py'
      });
    }, tmpPath);
    await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(
      'untitled.py'
    );
    await page.locator('.jp-FileEditor .cm-content').click();
    await page.keyboard.insertText('print("named at the first save")\n');
    await page.keyboard.press('Control+s');
    const rename = page.locator('.jp-Dialog');
    await rename.locator('input[type="text"]').fill('named_later.py');
    await rename.getByRole('button', { name: 'Rename and Save' }).click();
    // The panel follows the rename of the active document: no stale "untitled.py".
    await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(
      'named_later.py'
    );
    await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Submit a job to Data Clean Room?');
    await expect(dialog).toContainText(`${tmpPath}/named_later.py`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(
      page.locator(`${PANEL} .jp-vce-Banner[data-kind="error"]`)
    ).toHaveCount(0);
  });

  test('signed out: the panel says so and signs in from there; jobs come back', async ({
    page
  }) => {
    await dismissNews(page);
    await openPanel(page);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:sign-out')
    );
    try {
      await expect(page.locator(`${PANEL} .jp-vce-Empty`)).toContainText(
        'Not signed in'
      );
      await expect(
        page.locator(`${PANEL} .jp-vce-SubmitButton`)
      ).toBeDisabled();
      await shoot(page, 'jobs-signed-out-light.png');
      await page
        .locator(`${PANEL} .jp-vce-Empty`)
        .getByRole('button', { name: 'Sign in…' })
        .click();
      await page.fill('#jp-vce-client-key', CLIENT_KEY);
      await page.fill('#jp-vce-client-secret', CLIENT_SECRET);
      await page.locator('.jp-Dialog .jp-mod-accept').click();
      await expect(
        page.locator(`${PANEL} .jp-vce-JobItem`).first()
      ).toBeVisible();
    } finally {
      // Leave the server signed in for the next test, whatever happened here.
      await page.evaluate(
        ([key, secret]) =>
          fetch('/vce/api/session', {
            method: 'POST',
            body: JSON.stringify({ client_key: key, client_secret: secret })
          }),
        [CLIENT_KEY, CLIENT_SECRET]
      );
    }
  });

  test('a file that is not a script is refused in the panel, and nothing is submitted', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      'region,videos\n',
      'text',
      `${tmpPath}/table.csv`
    );
    await page.contents.uploadContent(
      '{"cells": [',
      'text',
      `${tmpPath}/broken.ipynb`
    );
    await openPanel(page);
    const countJobs = () =>
      page.evaluate(
        async () =>
          (await (await fetch('/vce/api/jobs?page_size=100')).json()).data.jobs
            .length as number
      );
    const before = await countJobs();
    await page.evaluate(
      p => window.jupyterapp.commands.execute('vce:submit-file', { path: p }),
      `${tmpPath}/table.csv`
    );
    await expect(
      page.locator(`${PANEL} .jp-vce-Banner[data-kind="error"]`)
    ).toContainText('is not a script');
    await page.evaluate(
      p => window.jupyterapp.commands.execute('vce:submit-file', { path: p }),
      `${tmpPath}/broken.ipynb`
    );
    await expect(
      page.locator(`${PANEL} .jp-vce-Banner[data-kind="error"]`)
    ).toContainText('not a valid notebook');
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    expect(await countJobs()).toBe(before);
  });
});
