/**
 * The guide's first step in a notebook, as the README gives it: install the
 * query SDK from the platform's own package index (the stand-in's PEP 503
 * index, RQS_PIP_INDEX_URL in the kernel's environment), then run the guide's
 * example. pip answers at once, with no retry or warning: nothing reaches
 * for an index the machine cannot reach.
 *
 * Spends 10 test-stage records of the shared embedded platform; assertions
 * about the quota elsewhere are relative, so the specs run in any order.
 */
import { expect, test } from '@jupyterlab/galata';
import { SEED_CELL } from '../../src/__tests__/helpers/query-seed';
import { signInTestClient } from './credentials';

/** README.md § The Query Builder: the guide's install line, against the local index. */
const PIP_LINE = '!pip install -U --index-url "$RQS_PIP_INDEX_URL" pyrqs';

test.describe("the guide's SDK install step", () => {
  test.use({ autoGoto: true });
  test.beforeEach(async ({ request }) => signInTestClient(request));

  test('installs pyrqs from the local index with no warning, then runs the example', async ({
    page
  }) => {
    await page.notebook.createNew('install-sdk.ipynb');
    await page.notebook.setCell(0, 'code', PIP_LINE);
    await page.notebook.runCell(0);
    const pip = (await page.notebook.getCellTextOutput(0))?.join('\n') ?? '';
    expect(pip).toMatch(
      /Requirement already satisfied: pyrqs|Successfully installed pyrqs/
    );
    expect(pip).toContain('/simple/');
    expect(pip).not.toMatch(/WARNING|Retrying|ERROR|Could not/i);

    // Where pyrqs is installed already, pip answers from the environment: check that the
    // index itself serves the package (downloaded, its hash checked by pip).
    await page.notebook.setCell(
      0,
      'code',
      '!pip download --no-deps --index-url "$RQS_PIP_INDEX_URL" -d "$(mktemp -d)" pyrqs'
    );
    await page.notebook.runCell(0);
    const download =
      (await page.notebook.getCellTextOutput(0))?.join('\n') ?? '';
    expect(download).toMatch(/\/simple\/pyrqs\/pyrqs-[\d.]+-py3-none-any\.whl/);
    expect(download).toContain('Successfully downloaded pyrqs');
    expect(download).not.toMatch(/WARNING|Retrying|ERROR|Could not/i);

    // The example goes in as text (typed into the editor, its lines would be auto-indented).
    await page.evaluate(source => {
      const notebook = (window.jupyterapp.shell.currentWidget as any).content;
      notebook.model.sharedModel.insertCell(1, {
        cell_type: 'code',
        source
      });
    }, SEED_CELL);
    await page.notebook.runCell(1);
    const output = (await page.notebook.getCellTextOutput(1))?.join('\n') ?? '';
    // print(data) of the guide: ten records with the four requested fields.
    expect(output).toContain('display_name');
    expect(output).toContain('video_description');
    expect(output).not.toMatch(/Error|Traceback/);
  });
});
