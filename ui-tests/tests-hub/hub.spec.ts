/**
 * The team deployment in Chromium (README, "Deploying for a team"): a real JupyterHub
 * started by scripts/start-hub.sh (configurable-http-proxy from npm, the simple local
 * process spawner, the platform stand-in as a managed service with the demo clients),
 * and the platform's guide from "Log in" to "submit a job" for two researchers at once.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'fs';
import * as path from 'path';
import { SEED_CELL } from '../../src/__tests__/helpers/query-seed';
import {
  clients,
  dismissNews,
  expectLab,
  putFile,
  STATUS_ITEM,
  submitLogin
} from './hub';

const PANEL = '#jp-vce-shield-panel';
/** The honest aggregate every suite submits (server-mock/test-vectors/README.md). */
const HONEST = readFileSync(
  path.join(__dirname, '../../server-mock/test-vectors/analysis-job.py'),
  'utf8'
);
/** A real run goes through the sandbox and the review. */
const JOB_TIMEOUT = 120_000;
const INCORRECT = 'Client key or secret is incorrect';

/** The guide's example code, verbatim, as the one cell of a notebook. */
const EXAMPLE_NOTEBOOK = {
  cells: [
    {
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: SEED_CELL
    }
  ],
  metadata: {
    kernelspec: {
      display_name: 'Python 3 (ipykernel)',
      language: 'python',
      name: 'python3'
    }
  },
  nbformat: 4,
  nbformat_minor: 5
};

/** A GET of the lab's own API from the page (its cookies and XSRF token). */
async function getJson(page: Page, url: string): Promise<any> {
  return page.evaluate(async target => {
    const xsrf = /(?:^|; )_xsrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
    const response = await fetch(target, {
      headers: { 'X-XSRFToken': decodeURIComponent(xsrf) }
    });
    return { status: response.status, body: await response.json() };
  }, url);
}

/** The records used today, from the status bar ("VCE 10 / 5,000"). */
async function recordsUsed(page: Page): Promise<number> {
  const item = page.locator(STATUS_ITEM);
  await expect(item).toHaveText(/^VCE [\d,]+ \/ 5,000$/);
  const text = (await item.textContent()) ?? '';
  return Number(/^VCE ([\d,]+)/.exec(text)![1].replace(/,/g, ''));
}

/** A chart: an image output, which the automatic review sends to a person. */
const CHART = `"""A chart of the sample: images go to manual review."""
import os

os.makedirs('output', exist_ok=True)
with open('output/chart.svg', 'w') as out:
    out.write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
`;

/**
 * Open the shield sidebar (right) by its tab, unless the restored layout has it open
 * already (a click on the tab of an open panel closes it).
 */
async function openShield(page: Page): Promise<void> {
  await dismissNews(page);
  const panel = page.locator(PANEL);
  await expect(async () => {
    if (!(await panel.isVisible())) {
      await page
        .locator('.lm-TabBar-tab[data-id="jp-vce-shield-panel"]')
        .click();
    }
    await expect(panel).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** Write a script into the lab, open it, submit it from the shield sidebar: its job id. */
async function submitFromShield(
  page: Page,
  user: string,
  email: string,
  name: string,
  script: string
): Promise<string> {
  await putFile(page, user, name, script);
  await page.goto(`/user/${user}/lab/tree/${name}`);
  await expectLab(page, user);
  await openShield(page);
  await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(name);
  await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Submit a job to Data Clean Room?');
  await expect(dialog).toContainText(email);
  await dialog.getByRole('button', { name: 'Submit job' }).click();
  const detail = page.locator(`${PANEL} .jp-vce-Detail`);
  await expect(detail).toBeVisible();
  const jobId = (await detail.getAttribute('data-job-id'))!;
  expect(jobId).toMatch(/^job_/);
  return jobId;
}

/** No sign-in dialog, now or once the lab has settled. */
async function expectNoSignInDialog(page: Page): Promise<void> {
  await expect(
    page.locator('.jp-Dialog', { hasText: /sign in|client secret/i })
  ).toHaveCount(0);
}

test.describe('the team hub', () => {
  test('the hub opens on the VCE login page (light and dark)', async ({
    page
  }) => {
    await page.goto('/hub/');
    await expect(page).toHaveURL(/\/hub\/login/);
    await expect(page).toHaveTitle(/Virtual Compute Environment/);
    await expect(page.getByLabel('Client key')).toBeVisible();
    const secret = page.getByLabel('Client secret', { exact: true });
    await expect(secret).toHaveAttribute('type', 'password');
    const toggle = page.getByRole('button', { name: 'Show client secret' });
    await toggle.click();
    await expect(secret).toHaveAttribute('type', 'text');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(toggle).toHaveText('Hide');
    await toggle.click();
    await expect(secret).toHaveAttribute('type', 'password');
    await expect(toggle).toHaveText('Show');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const file = test.info().outputPath(`hub-login-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await test.info().attach(`hub-login-${scheme}`, {
        path: file,
        contentType: 'image/png'
      });
    }
  });

  test('a wrong secret shows the error on the login page', async ({ page }) => {
    const [researcher] = clients().researchers;
    const wrong = 'not-the-Secret-9d2b';
    await submitLogin(page, researcher.client_key, wrong);
    await expect(page).toHaveURL(/\/hub\/login/);
    await expect(page.getByRole('alert')).toContainText(INCORRECT);
    await expect(page.getByLabel('Client key')).toHaveValue(
      researcher.client_key
    );
    expect(await page.content()).not.toContain(wrong);
  });

  test('two researchers at once: each in their own lab, the guide run, a job submitted, nothing of A seen by B; sign out stops the lab, signing in again gives a usable one', async ({
    browser
  }) => {
    const [a, b] = clients().researchers;
    const contextA = await browser.newContext();
    const contextB = await browser.newContext();
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();
    const userA = a.client_key;
    const userB = b.client_key;

    // Sign in as A: the researcher's own JupyterLab, connected, no sign-in dialog.
    const t0 = Date.now();
    await submitLogin(pageA, a.client_key, a.client_secret);
    await expectLab(pageA, userA);
    const loginToLab = Date.now() - t0;
    test.info().annotations.push({
      type: 'login to a usable lab (first spawn)',
      description: `${(loginToLab / 1000).toFixed(1)} s`
    });
    console.log(`login to a usable lab: ${(loginToLab / 1000).toFixed(1)} s`);
    await expectNoSignInDialog(pageA);

    // B signs in at the same time, in another browser context.
    await submitLogin(pageB, b.client_key, b.client_secret);
    await expectLab(pageB, userB);
    await expectNoSignInDialog(pageB);
    const usedByB = await recordsUsed(pageB);
    const usedByA = await recordsUsed(pageA);

    // A runs the guide's example verbatim in a notebook.
    await putFile(pageA, userA, 'guide-example.ipynb', EXAMPLE_NOTEBOOK);
    await pageA.goto(`/user/${userA}/lab/tree/guide-example.ipynb`);
    await expectLab(pageA, userA);
    await dismissNews(pageA);
    const cell = pageA.locator('.jp-Notebook .jp-Cell').first();
    await expect(cell).toContainText('client = rqs.RQSClient()');
    // A cell run before the notebook has its kernel is not queued: wait for it.
    await expect(
      pageA.getByRole('button', { name: /^Python 3 \(ipykernel\) \| Idle$/ })
    ).toBeVisible({ timeout: 60_000 });
    await cell.locator('.jp-InputArea-editor').click();
    await pageA.keyboard.press('Shift+Enter');
    const output = cell.locator('.jp-OutputArea-output');
    await expect(output).toContainText('display_name', { timeout: 90_000 });
    await expect(output).toContainText('video_description');
    await expect(output).not.toContainText(/Error|Traceback/);
    // The status bar moves with the kernel's query: ten records.
    await expect
      .poll(() => recordsUsed(pageA), { timeout: 30_000 })
      .toBe(usedByA + 10);

    // A submits a job from the shield sidebar; it is approved and mailed.
    const jobId = await submitFromShield(
      pageA,
      userA,
      a.email,
      'regions.py',
      HONEST
    );
    await expect(pageA.locator(`${PANEL} .jp-vce-Detail`)).toHaveAttribute(
      'data-status',
      'approved',
      { timeout: JOB_TIMEOUT }
    );
    const mailA = await getJson(pageA, `/user/${userA}/vce/api/outbox`);
    expect(mailA.status).toBe(200);
    expect(
      mailA.body.data.messages.map((m: { job_id: string }) => m.job_id)
    ).toContain(jobId);

    // B sees none of A's jobs, quota use or mail.
    await pageB.reload();
    await expectLab(pageB, userB);
    expect(await recordsUsed(pageB)).toBe(usedByB);
    const jobsB = await getJson(pageB, `/user/${userB}/vce/api/jobs`);
    expect(jobsB.status).toBe(200);
    expect(JSON.stringify(jobsB.body)).not.toContain(jobId);
    // The shield sidebar lists B's own jobs (none on a fresh hub), never A's.
    await openShield(pageB);
    const listed = pageB.locator(`${PANEL} .jp-vce-JobItem`);
    if (jobsB.body.data.jobs.length === 0) {
      await expect(pageB.locator(PANEL)).toContainText('No jobs yet.');
    } else {
      await expect(listed.first()).toBeVisible();
    }
    await expect(
      pageB.locator(`${PANEL} .jp-vce-JobItem[data-job-id="${jobId}"]`)
    ).toHaveCount(0);
    const mailB = await getJson(pageB, `/user/${userB}/vce/api/outbox`);
    expect(mailB.status).toBe(200);
    expect(JSON.stringify(mailB.body)).not.toContain(jobId);
    expect(JSON.stringify(mailB.body)).not.toContain(a.email);
    const identityB = await getJson(pageB, `/user/${userB}/vce/api/identity`);
    expect(identityB.body.data.primary_researcher_email).toBe(b.email);

    // A signs out from the lab: back on the hub's login page, and the lab is closed to them.
    const startedBefore = await getJson(pageA, `/user/${userA}/api/status`);
    expect(startedBefore.status).toBe(200);
    await pageA.locator(STATUS_ITEM).click();
    await pageA.getByRole('button', { name: 'Sign out of the hub' }).click();
    await expect(pageA).toHaveURL(/\/hub\/login/);
    await expect(pageA.getByLabel('Client key')).toBeVisible();
    await pageA.goto(`/user/${userA}/lab`);
    await expect(pageA).toHaveURL(/\/hub\/login/);
    // B's lab is untouched by A's sign-out.
    await pageB.reload();
    await expectLab(pageB, userB);

    // Signing out stopped A's lab (shutdown_on_logout): A signs in again and gets a new
    // lab, spawned with the pair just checked, usable at once, with A's own job in it.
    await submitLogin(pageA, a.client_key, a.client_secret);
    await expectLab(pageA, userA);
    await expectNoSignInDialog(pageA);
    const startedAfter = await getJson(pageA, `/user/${userA}/api/status`);
    expect(Date.parse(startedAfter.body.started)).toBeGreaterThan(
      Date.parse(startedBefore.body.started)
    );
    const jobsAgain = await getJson(pageA, `/user/${userA}/vce/api/jobs`);
    expect(jobsAgain.status).toBe(200);
    expect(JSON.stringify(jobsAgain.body)).toContain(jobId);

    await contextA.close();
    await contextB.close();
  });

  test('the reviewer signs in the same way and sees the manual-review queue in the lab', async ({
    browser
  }) => {
    const [, b] = clients().researchers;
    const [reviewer] = clients().reviewers;
    // B submits a chart: images go to a person.
    const researcher = await (await browser.newContext()).newPage();
    await submitLogin(researcher, b.client_key, b.client_secret);
    await expectLab(researcher, b.client_key);
    const jobId = await submitFromShield(
      researcher,
      b.client_key,
      b.email,
      'chart.py',
      CHART
    );
    await expect(researcher.locator(`${PANEL} .jp-vce-Detail`)).toHaveAttribute(
      'data-status',
      'reviewing',
      { timeout: JOB_TIMEOUT }
    );

    const page = await (await browser.newContext()).newPage();
    await submitLogin(page, reviewer.client_key, reviewer.client_secret);
    await expectLab(page, reviewer.client_key);
    await expectNoSignInDialog(page);
    await openShield(page);
    // The review runs after the job: refresh until B's job is in the queue.
    const item = page.locator(
      `${PANEL} .jp-vce-ReviewItem[data-job-id="${jobId}"]`
    );
    await expect(async () => {
      await page
        .getByRole('button', { name: 'Refresh the review queue' })
        .click();
      await expect(item).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: JOB_TIMEOUT });
    await expect(item).toContainText('chart.svg');
    // A reviewer submits nothing.
    await expect(page.locator(`${PANEL} .jp-vce-SubmitButton`)).toBeHidden();
    await page.context().close();
    await researcher.context().close();
  });
});
