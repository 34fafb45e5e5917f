/**
 * The Query Builder and the kernel bridge in a real JupyterLab:
 * build the guide's example without typing code, insert it, run it, see the
 * table of 10 records and the status bar go up by 10; open the cell back,
 * change the limit, update. Bad input: operations a field does not allow,
 * values that do not parse, a limit over the quota, a hand-edited cell.
 *
 * These tests spend test-stage quota (10 + 3 records) on the one embedded
 * platform the whole run shares. They run in any order with the other specs:
 * each test starts signed in with the test client (signInTestClient), and
 * every spec's quota assertions are relative to what was used before.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { SEED_CELL } from '../../src/__tests__/helpers/query-seed';
import { signInTestClient } from './credentials';
import { shotPath } from './lab';

const STATUS_ITEM = '#jp-vce-status';
const PANEL = '#jp-vce-query-builder';

/** The guide's example, character for character (one copy, shared with the jest suites). */
const SEED_CELL_PRINTED = SEED_CELL;
/** The same cell with a displayed result (the builder's default) instead of print(data). */
const SEED_CELL_DISPLAYED = SEED_CELL.replace(/\nprint\(data\)$/, '\ndata');

async function openBuilder(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.sidebar.openTab('jp-vce-query-builder');
  const panel = page.locator(PANEL);
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'New query' }).click();
  return panel;
}

/** Records used today, as the status bar shows them ("VCE 10 / 5,000"). */
async function usedToday(page: IJupyterLabPageFixture): Promise<number> {
  const item = page.locator(STATUS_ITEM);
  await expect(item).toHaveText(/VCE [\d,]+ \/ 5,000/);
  const text = (await item.textContent()) ?? '';
  return Number(/VCE ([\d,]+)/.exec(text)![1].replace(/,/g, ''));
}

async function cellSource(
  page: IJupyterLabPageFixture,
  index: number
): Promise<string> {
  return page.evaluate(
    at =>
      (window.jupyterapp.shell.currentWidget as any).content.model.cells
        .get(at)
        .sharedModel.getSource(),
    index
  );
}

/** Build the guide's example: like_count GTE 10; the default fields and limit are the guide's. */
async function buildSeedExample(panel: Locator): Promise<void> {
  await panel.getByRole('button', { name: 'Condition group' }).click();
  await panel
    .getByLabel('Field of condition 1 of group 1')
    .selectOption('like_count');
  await panel
    .getByLabel('Operation of condition 1 of group 1')
    .selectOption('GTE');
  await panel.getByLabel('Value of like_count').fill('10');
  await expect(panel.locator('#jp-vce-qb-limit')).toHaveValue('10');
  await expect(panel.locator('.jp-vce-QB-fieldList input:checked')).toHaveCount(
    4
  );
  await expect(
    panel.getByText(
      'In this order: display_name, video_description, create_time, id'
    )
  ).toBeVisible();
}

test.describe('query builder and kernel bridge', () => {
  test.use({ autoGoto: true });
  test.beforeEach(async ({ request }) => signInTestClient(request));

  test("builds the guide's example, inserts and runs it, shows 10 records and the quota moving; edits it back", async ({
    page
  }) => {
    const notebook = 'seed-example.ipynb';
    await page.notebook.createNew(notebook);
    const panel = await openBuilder(page);
    await buildSeedExample(panel);

    // The cell is the guide's, character for character (print), or displayed as a table.
    const code = panel.locator('.jp-vce-QB-code');
    await panel.getByLabel('as text, as in the guide (print(data))').check();
    await expect(code).toHaveAttribute('data-code', SEED_CELL_PRINTED);
    await panel.getByLabel('as a table (data)').check();
    await expect(code).toHaveAttribute('data-code', SEED_CELL_DISPLAYED);
    await expect(panel.locator('.jp-vce-QB-summary')).toHaveText('Ready.');
    await panel.screenshot({
      path: test.info().outputPath('builder-seed-example.png')
    });

    const before = await usedToday(page);
    await panel.getByRole('button', { name: 'Insert below' }).click();
    await page.activity.activateTab(notebook);
    expect(await cellSource(page, 0)).toBe(SEED_CELL_DISPLAYED);

    // Run it in the kernel (no credential in the notebook: the kernel has the SDK's environment).
    await page.notebook.runCell(0);
    const result = page.locator('.jp-Notebook .jp-vce-ResultRenderer').first();
    await expect(result).toBeVisible({ timeout: 30_000 });
    const shownAt = Date.now();
    await expect(result.locator('tbody tr')).toHaveCount(10);
    await expect(result.locator('thead th')).toHaveText([
      '#',
      'display_name',
      'video_description',
      'create_time',
      'id'
    ]);
    await expect(result.locator('.jp-vce-Result-summary')).toContainText(
      '10 video records'
    );
    await expect(result.locator('.jp-vce-Result-summary')).toContainText(
      `${(5000 - before - 10).toLocaleString('en-US')} of 5,000 left today`
    );
    // The status bar moves by the 10 records within a second, pushed by the event stream.
    await expect(page.locator(STATUS_ITEM)).toHaveText(
      `VCE ${(before + 10).toLocaleString('en-US')} / 5,000`,
      {
        timeout: 1_000
      }
    );
    test.info().annotations.push({
      type: 'status bar moved after the table',
      description: `${Date.now() - shownAt} ms`
    });
    await page.screenshot({
      path: test.info().outputPath('seed-example-run.png')
    });

    // Open the cell back in the builder, change the limit, update the cell in place.
    await page
      .locator('.jp-Notebook .jp-CodeCell .jp-InputArea-editor')
      .first()
      .click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Edit in Query Builder' }).click();
    await expect(panel).toBeVisible();
    await expect(panel.locator('.jp-vce-QB-target')).toContainText(notebook);
    await expect(panel.getByLabel('Value of like_count')).toHaveValue('10');
    await panel.locator('#jp-vce-qb-limit').fill('5');
    // The cell is changed by hand meanwhile: Update asks before replacing it.
    const handEdited = SEED_CELL_DISPLAYED.replace(
      'limit = 10',
      'limit = 10  # keep me'
    );
    await page.evaluate(
      text =>
        (window.jupyterapp.shell.currentWidget as any).content.model.cells
          .get(0)
          .sharedModel.setSource(text),
      handEdited
    );
    await panel.getByRole('button', { name: 'Update cell' }).click();
    const ask = page.locator('.jp-Dialog');
    await expect(ask).toContainText('Replace the edited cell?');
    await ask.getByRole('button', { name: 'Keep the cell' }).click();
    expect(await cellSource(page, 0)).toBe(handEdited);
    await panel.getByRole('button', { name: 'Update cell' }).click();
    await ask.getByRole('button', { name: 'Replace' }).click();
    await expect
      .poll(() => cellSource(page, 0))
      .toBe(SEED_CELL_DISPLAYED.replace('limit = 10', 'limit = 5'));
    await page.screenshot({
      path: test.info().outputPath('seed-example-updated.png')
    });
  });

  test('bad input is flagged before insert, and an unreadable cell is left untouched', async ({
    page
  }) => {
    await page.notebook.createNew('bad-input.ipynb');
    const panel = await openBuilder(page);
    await panel.getByRole('button', { name: 'Condition group' }).click();
    await panel
      .getByLabel('Field of condition 1 of group 1')
      .selectOption('like_count');

    // Only the operations the field allows can be chosen.
    const operations = panel
      .getByLabel('Operation of condition 1 of group 1')
      .locator('option');
    await expect(operations).toHaveText(['EQ', 'IN', 'GT', 'GTE', 'LT', 'LTE']);
    await panel
      .getByLabel('Field of condition 1 of group 1')
      .selectOption('video_description');
    await expect(operations).toHaveText(['EQ', 'IN', 'LIKE']);
    await panel
      .getByLabel('Field of condition 1 of group 1')
      .selectOption('like_count');

    // A typed value that does not parse is flagged; insert and run are disabled.
    await panel.getByLabel('Value of like_count').fill('ten');
    await expect(panel.getByLabel('Value of like_count')).toHaveAttribute(
      'aria-invalid',
      'true'
    );
    await expect(
      panel.locator('.jp-vce-QB-problem.jp-mod-error')
    ).toContainText('like_count takes whole numbers');
    await expect(
      panel.getByRole('button', { name: 'Insert below' })
    ).toBeDisabled();
    await expect(
      panel.getByRole('button', { name: 'Insert and run' })
    ).toBeDisabled();
    await expect(
      panel.getByRole('button', { name: /Preview sample/ })
    ).toBeDisabled();
    await panel.getByLabel('Value of like_count').fill('10');
    await expect(
      panel.getByRole('button', { name: 'Insert below' })
    ).toBeEnabled();

    // A limit above the remaining quota is flagged (and cannot be run).
    const used = await usedToday(page);
    await panel.locator('#jp-vce-qb-limit').fill(String(5000 - used + 1));
    await expect(panel.locator('#jp-vce-qb-limit-problems')).toContainText(
      `Only ${(5000 - used).toLocaleString('en-US')} records are left today`
    );
    await expect(
      panel.getByRole('button', { name: 'Insert and run' })
    ).toBeDisabled();
    await panel.locator('#jp-vce-qb-limit').fill('50000');
    await expect(panel.locator('#jp-vce-qb-limit-problems')).toContainText(
      'from 1 to 5,000'
    );
    await panel.screenshot({
      path: test.info().outputPath('builder-bad-input.png')
    });
    await panel.locator('#jp-vce-qb-limit').fill('3');

    // A hand-edited cell the parser cannot read says why and stays as it is.
    await panel.getByRole('button', { name: 'Insert below' }).click();
    await page.activity.activateTab('bad-input.ipynb');
    const edited = (await cellSource(page, 0)) + '\nimport pandas as pd';
    await page.evaluate(
      text =>
        (window.jupyterapp.shell.currentWidget as any).content.model.cells
          .get(0)
          .sharedModel.setSource(text),
      edited
    );
    await page.notebook.selectCells(0);
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute('vce:query-builder-edit-cell');
    });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(
      'This cell cannot be opened in the Query Builder'
    );
    await expect(dialog).toContainText(
      'Line 22: the import of "pandas" is not part of a query cell'
    );
    await expect(dialog).toContainText('The cell is left as it is.');
    await dialog.screenshot({
      path: test.info().outputPath('unreadable-cell.png')
    });
    await dialog.getByRole('button', { name: 'OK' }).click();
    expect(await cellSource(page, 0)).toBe(edited);
  });

  test('with no notebook open, insert creates one in the current folder', async ({
    page,
    tmpPath
  }) => {
    await page.filebrowser.openDirectory(tmpPath);
    const panel = await openBuilder(page);
    await expect(
      panel.getByRole('button', { name: 'Insert in a new notebook' })
    ).toBeVisible();
    await panel.getByRole('button', { name: 'Condition group' }).click();
    await panel
      .getByLabel('Field of condition 1 of group 1')
      .selectOption('region_code');
    await panel
      .getByLabel('Operation of condition 1 of group 1')
      .selectOption('IN');
    await panel.getByLabel('Add a value to region_code IN').selectOption('US');
    await panel.getByLabel('Add a value to region_code IN').selectOption('GB');
    await expect(panel.locator('.jp-vce-QB-chip')).toHaveText(['US×', 'GB×']);
    await panel
      .getByRole('button', { name: 'Insert in a new notebook' })
      .click();
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window.jupyterapp.shell.currentWidget as any)?.context?.path ?? ''
        )
      )
      .toMatch(new RegExp(`^${tmpPath}/Untitled.*\\.ipynb$`));
    await expect
      .poll(() => cellSource(page, 0))
      .toContain('"field_values": ["US", "GB"]');

    // Preview through the platform: a sample, charged like a kernel's query.
    const used = await usedToday(page);
    await panel.locator('#jp-vce-qb-limit').fill('3');
    const preview = panel.getByRole('button', {
      name: 'Preview sample (uses up to 3 records of your quota)'
    });
    await preview.click();
    const sample = panel.locator('.jp-vce-QB-previewResult .jp-vce-Result');
    await expect(sample.locator('.jp-vce-Result-summary')).toContainText(
      '3 video records'
    );
    await expect(sample.locator('tbody tr')).toHaveCount(3);
    await expect(page.locator(STATUS_ITEM)).toHaveText(
      `VCE ${(used + 3).toLocaleString('en-US')} / 5,000`
    );
    await panel.screenshot({
      path: test.info().outputPath('builder-preview.png')
    });
  });

  test("every chooser is a real select with JupyterLab's caret, used by keyboard", async ({
    page
  }) => {
    const panel = await openBuilder(page);
    await panel.getByRole('button', { name: 'Condition group' }).click();
    await panel
      .getByLabel('Field of condition 1 of group 1')
      .selectOption('region_code');
    await panel
      .getByLabel('Operation of condition 1 of group 1')
      .selectOption('IN');
    const choosers = [
      panel.getByLabel('Category'),
      panel.getByLabel('Operator of group 1'),
      panel.getByLabel('Field of condition 1 of group 1'),
      panel.getByLabel('Operation of condition 1 of group 1'),
      panel.getByLabel('Add a value to region_code IN')
    ];
    for (const chooser of choosers) {
      await expect(chooser).toBeVisible();
      // A select, inside JupyterLab's HTMLSelect with its caret icon beside it.
      expect(await chooser.evaluate(node => node.tagName)).toBe('SELECT');
      expect(
        await chooser.evaluate(node => ({
          wrapper: node.parentElement!.className,
          caret: node.parentElement!.querySelector('select + span svg') !== null
        }))
      ).toEqual({
        wrapper: expect.stringContaining('jp-HTMLSelect'),
        caret: true
      });
    }
    // The jobs list's filter too.
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:open-data-clean-room')
    );
    const filter = page.getByLabel('Filter jobs by status');
    expect(await filter.evaluate(node => node.tagName)).toBe('SELECT');
    expect(
      await filter.evaluate(node => node.parentElement!.className)
    ).toContain('jp-HTMLSelect');
    await page.sidebar.openTab('jp-vce-query-builder');

    // Keyboard: Tab reaches the group's operator, the arrow keys change it.
    const operator = panel.getByLabel('Operator of group 1');
    await expect(operator).toHaveValue('and');
    await panel.getByLabel('Category').focus();
    for (let step = 0; step < 4; step++) {
      if (await operator.evaluate(node => node === document.activeElement)) {
        break;
      }
      await page.keyboard.press('Tab');
    }
    await expect(operator).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(operator).toHaveValue('or');
    await expect(panel.locator('.jp-vce-QB-code')).toHaveAttribute(
      'data-code',
      /"operator": "or"/
    );
    // Add… by keyboard: the value becomes a chip.
    const add = panel.getByLabel('Add a value to region_code IN');
    await add.focus();
    await add.selectOption('GB');
    await expect(panel.locator('.jp-vce-QB-chip')).toHaveText(['GB×']);
    await panel.screenshot({
      path: shotPath('builder-sidebar-choosers-light.png')
    });
    await page.theme.setDarkTheme();
    await panel.screenshot({
      path: shotPath('builder-sidebar-choosers-dark.png')
    });
    await page.theme.setLightTheme();
  });

  test('opens in the main area (sidebar button, palette) with the same query, and the sample has room', async ({
    page,
    request
  }) => {
    await page.notebook.createNew('main-area.ipynb');
    const panel = await openBuilder(page);
    await panel.getByRole('button', { name: 'Condition group' }).click();
    await panel
      .getByLabel('Field of condition 1 of group 1')
      .selectOption('like_count');
    await panel.getByLabel('Value of like_count').fill('10');
    await panel.locator('#jp-vce-qb-limit').fill('5');
    // The guide's four fields and two more: far more than the sidebar shows (about two).
    for (const field of ['region_code', 'like_count']) {
      await panel.getByLabel(field, { exact: true }).check();
    }

    // The sidebar's toolbar button opens it in the main area; the sidebar makes room.
    await panel
      .locator(
        '.jp-ToolbarButtonComponent[data-command="vce:open-query-builder-main-area"]'
      )
      .click();
    const main = page.locator('#jp-vce-query-builder-main');
    await expect(main).toBeVisible();
    await expect(panel).toBeHidden();
    await expect(
      page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
        hasText: 'Query Builder'
      })
    ).toBeVisible();
    // The same query: one model behind both views.
    await expect(main.getByLabel('Value of like_count')).toHaveValue('10');
    await expect(main.locator('#jp-vce-qbm-limit')).toHaveValue('5');
    await expect(main.locator('.jp-vce-QB-code')).toHaveAttribute(
      'data-code',
      (await panel.locator('.jp-vce-QB-code').getAttribute('data-code'))!
    );
    // The query on the left, the cell beside it, the sample under both.
    const query = (await main.locator('.jp-vce-QB-queryColumn').boundingBox())!;
    const cell = (await main.locator('.jp-vce-QB-resultColumn').boundingBox())!;
    expect(cell.x).toBeGreaterThan(query.x + query.width - 1);

    const used = await usedToday(page);
    await main
      .getByRole('button', {
        name: 'Preview sample (uses up to 5 records of your quota)'
      })
      .click();
    const sample = main.locator('.jp-vce-QB-previewResult .jp-vce-Result');
    await expect(sample.locator('tbody tr')).toHaveCount(5);
    // Every column of the sample is in view, none cut at the edge.
    const area = (await main
      .locator('.jp-vce-QB-previewResult')
      .boundingBox())!;
    const headers = sample.locator('thead th');
    const columns = await headers.count();
    expect(columns).toBe(7);
    const last = (await headers.nth(columns - 1).boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(area.x + area.width + 1);
    // The quota under the sample is the status bar's, and moves with it.
    await expect(page.locator(STATUS_ITEM)).toHaveText(
      `VCE ${(used + 5).toLocaleString('en-US')} / 5,000`
    );
    await expect(sample.locator('.jp-vce-Result-summary')).toContainText(
      `${(5000 - used - 5).toLocaleString('en-US')} of 5,000 left today`
    );
    // Another query (as a kernel's would be) moves the status bar through the event stream.
    const other = await request.post('/vce/api/query', {
      data: {
        category: 'video',
        condition_groups: [],
        fields: 'id',
        limit: 2
      }
    });
    expect(other.ok()).toBe(true);
    await expect(page.locator(STATUS_ITEM)).toHaveText(
      `VCE ${(used + 7).toLocaleString('en-US')} / 5,000`
    );
    await expect(sample.locator('.jp-vce-Result-summary')).toContainText(
      `${(5000 - used - 7).toLocaleString('en-US')} of 5,000 left today`
    );
    await expect(main.locator('#jp-vce-qbm-quota')).toHaveText(
      `${(5000 - used - 7).toLocaleString('en-US')} of 5,000 records left today`
    );

    await sample.scrollIntoViewIfNeeded();
    await page.theme.setLightTheme();
    await page.screenshot({ path: shotPath('builder-main-area-light.png') });
    await page.theme.setDarkTheme();
    await page.screenshot({ path: shotPath('builder-main-area-dark.png') });
    await page.theme.setLightTheme();

    // A change in the main area is in the sidebar's view too; the palette shows the main one again.
    await main.locator('#jp-vce-qbm-limit').fill('3');
    await page.sidebar.openTab('jp-vce-query-builder');
    await expect(panel.locator('#jp-vce-qb-limit')).toHaveValue('3');
    await page.activity.activateTab('main-area.ipynb');
    await page.evaluate(() =>
      window.jupyterapp.commands.execute('vce:open-query-builder-main-area')
    );
    await expect(main).toBeVisible();
    await expect(page.locator('#jp-vce-query-builder-main')).toHaveCount(1);
    expect(
      await page.evaluate(() =>
        window.jupyterapp.commands.label('vce:open-query-builder-main-area', {
          isPalette: true
        })
      )
    ).toBe('Open Query Builder in the Main Area');
  });
});
