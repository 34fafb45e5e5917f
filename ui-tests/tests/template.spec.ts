/**
 * *New clean-room script* (issue 17): from the launcher, the starter script
 * is written into the file browser's folder and opened; submitted as it is,
 * it runs against all public data and is approved by the output review.
 * Its one source is docs/examples/clean_room_starter.py.
 */
import { expect, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import * as path from 'path';
import { signInTestClient } from './credentials';

const PANEL = '#jp-vce-shield-panel';
const STARTER = readFileSync(
  path.join(__dirname, '../../docs/examples/clean_room_starter.py'),
  'utf8'
);
/** A real run goes through the sandbox and the review: allow it time. */
const JOB_TIMEOUT = 120_000;

test.use({ autoGoto: true });

test.describe('New clean-room script', () => {
  test.setTimeout(180_000);
  test.beforeEach(async ({ request }) => signInTestClient(request));

  test('from the launcher: the starter script opens in the folder, and submitted as it is it is approved', async ({
    page,
    tmpPath
  }) => {
    // The launcher's card, in the Virtual Compute Environment section.
    const card = page.locator('.jp-LauncherCard', {
      hasText: 'Clean-Room Script'
    });
    await expect(card).toBeVisible();
    await card.click();
    const editor = page.locator('.jp-FileEditor');
    await expect(editor).toBeVisible();
    await expect(
      page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current')
    ).toContainText('clean_room_script.py');
    // In the file browser's folder, the example character for character.
    const file = `${tmpPath}/clean_room_script.py`;
    expect(await page.contents.fileExists(file)).toBe(true);
    expect(
      await page.evaluate(
        async p =>
          (await window.jupyterapp.serviceManager.contents.get(p)).content,
        file
      )
    ).toBe(STARTER);
    await page.screenshot({
      path: test.info().outputPath('starter-script.png')
    });

    // The palette offers it too; a second one takes the next free name.
    expect(
      await page.evaluate(() =>
        window.jupyterapp.commands.label('vce:new-clean-room-script', {
          isPalette: true
        })
      )
    ).toBe('New Clean-Room Script');
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('vce:new-clean-room-script', {
        isPalette: true
      });
    });
    await expect
      .poll(() => page.contents.fileExists(`${tmpPath}/clean_room_script_2.py`))
      .toBe(true);
    await page.activity.activateTab('clean_room_script.py');

    // Submit the first one as it is, from the Data Clean Room panel.
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:open-data-clean-room')
    );
    await expect(page.locator(`${PANEL} .jp-vce-Submit-path`)).toHaveText(
      'clean_room_script.py'
    );
    await page.locator(`${PANEL} .jp-vce-SubmitButton`).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(file);
    await dialog.getByRole('button', { name: 'Submit job' }).click();
    const detail = page.locator(`${PANEL} .jp-vce-Detail`);
    await expect(detail).toHaveAttribute('data-status', 'approved', {
      timeout: JOB_TIMEOUT
    });
    await expect(detail.locator('.jp-vce-Verdict')).toContainText(
      'Approved: the results are aggregated.'
    );
    await expect(detail.locator('.jp-vce-Finding')).toHaveCount(0);
    await expect(detail).toContainText('videos_by_region_and_length.csv');
    await page.locator(PANEL).screenshot({
      path: test.info().outputPath('starter-approved.png')
    });
  });
});
