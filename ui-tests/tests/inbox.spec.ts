import { type Download, expect, type Page, test } from '@playwright/test';
import type {} from '@jupyterlab/galata'; // window.jupyterapp's type
import { type ChildProcess, spawn } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/**
 * The Inbox: an approved job's mail in the lab, rendered as the researcher
 * reads it, and its link downloading the zip — also after the lab restarts.
 *
 * The restart is real: this spec runs its own lab (port VCE_UI_TEST_PORT + 5,
 * the suite's server config) on a platform data folder it keeps, stops it
 * (SIGTERM: the server stops its embedded platform), and starts a second lab
 * process on the same folder. The platform comes back on the port remembered
 * in that folder, so the link in the mail still downloads the zip.
 */

const PORT = Number(process.env.VCE_UI_TEST_PORT || 8888) + 5;
const BASE = `http://localhost:${PORT}`;
const UI_TESTS = path.join(__dirname, '..');
const HONEST = readFileSync(
  path.join(__dirname, '../../server-mock/test-vectors/analysis-job.py'),
  'utf8'
);
const JOB_TIMEOUT = 90_000;
const PANEL = '#jp-vce-shield-panel';

const sha256 = (bytes: Buffer) =>
  createHash('sha256').update(bytes).digest('hex');

/** One lab process on the kept folders; resolves once it serves /lab and its platform answers. */
async function startLab(
  platformDir: string,
  rootDir: string
): Promise<ChildProcess> {
  const lab = spawn(
    'jupyter',
    ['lab', '--config', 'jupyter_server_test_config.py'],
    {
      cwd: UI_TESTS,
      env: {
        ...process.env,
        VCE_UI_TEST_PORT: String(PORT),
        VCE_UI_TEST_PLATFORM_DIR: platformDir,
        JUPYTERLAB_GALATA_ROOT_DIR: rootDir
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true
    }
  );
  let log = '';
  lab.stderr!.on('data', chunk => (log = (log + String(chunk)).slice(-4000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (lab.exitCode !== null) {
      throw new Error(`The lab exited (${lab.exitCode}):\n${log}`);
    }
    try {
      const status = await fetch(`${BASE}/vce/api/status`);
      // The embedded platform starts in the background: `starting` until it answers.
      const state = status.ok ? (await status.json()).platform?.state : null;
      if (state && state !== 'unreachable' && state !== 'starting') {
        return lab;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`The lab did not start within 60 s:\n${log}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** SIGTERM to the lab's process group, as Ctrl-C would stop it; waits until it is gone. */
async function stopLab(lab: ChildProcess): Promise<void> {
  if (lab.exitCode !== null) {
    return;
  }
  const exited = new Promise(resolve => lab.once('exit', resolve));
  process.kill(-lab.pid!, 'SIGTERM');
  await exited;
}

async function openLab(page: Page): Promise<void> {
  await page.goto(`${BASE}/lab`);
  await page.waitForFunction(() => window.jupyterapp?.started !== undefined);
  await page.evaluate(() => window.jupyterapp.started);
  await expect(page.locator(PANEL)).toBeAttached();
}

async function downloaded(download: Download): Promise<Buffer> {
  return readFileSync((await download.path())!);
}

test.describe('Inbox', () => {
  test.setTimeout(240_000);
  let platformDir: string;
  let rootDir: string;
  let lab: ChildProcess | null = null;

  test.beforeAll(() => {
    platformDir = mkdtempSync(path.join(tmpdir(), 'vce-inbox-platform-'));
    rootDir = mkdtempSync(path.join(tmpdir(), 'vce-inbox-root-'));
  });
  test.afterAll(async () => {
    if (lab) {
      await stopLab(lab);
    }
    rmSync(platformDir, { recursive: true, force: true });
    rmSync(rootDir, { recursive: true, force: true });
  });

  test("an approved job's mail in the inbox, rendered; its link downloads the zip, also after the lab restarts", async ({
    page
  }) => {
    lab = await startLab(platformDir, rootDir);
    const upload = await page.request.put(`${BASE}/api/contents/regions.py`, {
      data: { type: 'file', format: 'text', content: HONEST }
    });
    expect(upload.ok()).toBe(true);
    await page.goto(`${BASE}/lab/tree/regions.py`);
    await page.waitForFunction(() => window.jupyterapp?.started !== undefined);
    await page.evaluate(() => window.jupyterapp.started);
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:open-data-clean-room')
    );
    await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(
      'regions.py'
    );
    await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Submit job' })
      .click();
    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    await expect(detail).toHaveAttribute('data-status', 'approved', {
      timeout: JOB_TIMEOUT
    });
    const jobId = (await detail.getAttribute('data-job-id'))!;

    // The job's detail opens its mail in the Inbox (no outbox file name in plain text).
    await expect(detail.locator('.jp-vce-Mail')).not.toContainText('.eml');
    await detail.locator('.jp-vce-OpenMail').click();
    const inbox = page.locator('.jp-vce-Inbox');
    await expect(inbox).toBeVisible();
    const item = inbox.locator('.jp-vce-Inbox-item[aria-selected="true"]');
    await expect(item).toContainText(
      `[VCE] Results of job ${jobId} (regions.py) are approved`
    );
    await expect(item).toContainText(jobId);
    await expect(item.locator('time')).not.toBeEmpty();
    const mail = inbox.locator('.jp-vce-Mail-view');
    await expect(mail.locator('.jp-vce-Mail-subject')).toHaveText(
      `[VCE] Results of job ${jobId} (regions.py) are approved`
    );
    const text = mail.locator('.jp-vce-Mail-text');
    await expect(text).toContainText(
      'passed the aggregation review and are ready to download'
    );
    await expect(text).toContainText('  - videos_by_region.csv (');
    expect(await text.innerText()).not.toMatch(/&lt;|&gt;|&amp;|\\n/);
    const link = (await text.locator('a').first().getAttribute('href'))!;
    expect(link).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/v2\/vce\/results\/[A-Za-z0-9_-]{43}$/
    );
    await expect(mail.locator('.jp-vce-Mail-download')).toHaveAttribute(
      'href',
      link
    );
    await page.screenshot({
      path: test.info().outputPath('inbox-approved-light.png')
    });

    const before = page.waitForEvent('download');
    await mail.locator('.jp-vce-Mail-download').click();
    const first = await before;
    expect(first.suggestedFilename()).toBe(`${jobId}-results.zip`);
    const zip = await downloaded(first);
    expect(zip.subarray(0, 2).toString()).toBe('PK');

    // Restart: this lab process stops (and its platform with it); a new one starts on the same data.
    await stopLab(lab);
    await expect
      .poll(async () => (await fetch(link).catch(() => null))?.status ?? 'down')
      .toBe('down');
    lab = await startLab(platformDir, rootDir);

    await openLab(page);
    await page.evaluate(
      id => window.jupyterapp.commands.execute('vce:open-inbox', { jobId: id }),
      jobId
    );
    const again = page.locator('.jp-vce-Inbox .jp-vce-Mail-view');
    await expect(again.locator('.jp-vce-Mail-subject')).toContainText(jobId);
    await expect(again.locator('.jp-vce-Mail-link')).toHaveAttribute(
      'data-state',
      'active'
    );
    await expect(again.locator('.jp-vce-Mail-text a').first()).toHaveAttribute(
      'href',
      link
    );
    const after = page.waitForEvent('download');
    await again.locator('.jp-vce-Mail-text a').first().click();
    const second = await downloaded(await after);
    expect(sha256(second)).toBe(sha256(zip));
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('apputils:change-theme', {
        theme: 'JupyterLab Dark'
      })
    );
    await page.screenshot({
      path: test.info().outputPath('inbox-after-restart-dark.png')
    });
  });
});
