import type { Contents } from '@jupyterlab/services';
import { JobActions } from '../../jobs/actions';
import { downloadedOutputs, verifyAttestation } from '../../jobs/attestation';
import { JobsModel } from '../../jobs/model';
import { PanelState } from '../../jobs/state';
import {
  checkScript,
  IContentsReader,
  jsonErrorPlace,
  MAX_ENTRY_BYTES,
  prepareSubmission,
  SubmissionError
} from '../../jobs/submission';
import { nullTranslator } from '@jupyterlab/translation';
import { FakeJobsApi, flush, makeJob } from '../helpers/jobs-fixtures';

declare const require: (id: string) => any;
declare const process: { cwd(): string };
declare const Buffer: { from(data: string): any };
// jsdom has no Web Crypto digest; Node's stands in for the browser's. jose runs its Node build.
const nodeCrypto = require('crypto');
if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', {
    value: nodeCrypto.webcrypto,
    configurable: true
  });
}
const { TextDecoder, TextEncoder } = require('util');
Object.assign(globalThis, { TextDecoder, TextEncoder });

const trans = nullTranslator.load('jupyterlab_vce');
const encoder = new TextEncoder();

/** A workspace in memory: path → text (folders implied). */
function workspace(
  files: Record<string, string>
): IContentsReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: async (path: string, options?: Contents.IFetchOptions) => {
      if (options?.type === 'directory') {
        const prefix = path ? `${path}/` : '';
        const names = new Map<string, Contents.IModel>();
        for (const [file, text] of Object.entries(files)) {
          if (!file.startsWith(prefix)) {
            continue;
          }
          const rest = file.slice(prefix.length);
          const [name, ...deeper] = rest.split('/');
          const itemPath = prefix + name;
          names.set(name, {
            name,
            path: itemPath,
            type: deeper.length ? 'directory' : 'file',
            size: deeper.length ? undefined : encoder.encode(text).length
          } as Contents.IModel);
        }
        return {
          name: path,
          path,
          type: 'directory',
          content: [...names.values()]
        } as unknown as Contents.IModel;
      }
      reads.push(path);
      if (!(path in files)) {
        throw new Error('No such file');
      }
      // Jupyter's base64 comes with line breaks every 76 characters.
      const base64 = Buffer.from(files[path])
        .toString('base64')
        .replace(/(.{76})/g, '$1\n');
      return {
        name: path,
        path,
        type: 'file',
        format: 'base64',
        content: base64
      } as unknown as Contents.IModel;
    }
  };
}

const NOTEBOOK = JSON.stringify({
  cells: [{ cell_type: 'code', source: 'print(1)' }],
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {}
});

describe('checkScript', () => {
  it.each([
    ['data.csv', 'a,b', 'is not a script'],
    ['empty.py', '', 'is empty'],
    ['broken.ipynb', '{"cells": [', 'is not a valid notebook'],
    ['nocells.ipynb', '{"metadata": {}}', 'no list of cells'],
    [
      'markdown.ipynb',
      JSON.stringify({ cells: [{ cell_type: 'markdown', source: '#' }] }),
      'no code cell'
    ]
  ])('refuses %s', (path, text, says) => {
    expect(() => checkScript(path, encoder.encode(text))).toThrow(says);
  });

  it('says where a notebook that is not JSON breaks, in lines and columns, and how to fix it', () => {
    expect(() =>
      checkScript(
        'broken.ipynb',
        encoder.encode('{\n  "cells": [],\n  oops\n}')
      )
    ).toThrow(
      '"broken.ipynb" is not a valid notebook: it is not JSON (the first problem is at line 3, column 3). Fix it in a text editor'
    );
    expect(
      jsonErrorPlace(
        '{\n x',
        new SyntaxError('Unexpected token x in JSON at position 3')
      )
    ).toBe(' (the first problem is at line 2, column 2)');
    expect(
      jsonErrorPlace(
        '{',
        new SyntaxError(
          "Expected property name or '}' in JSON at position 1 (line 1 column 2)"
        )
      )
    ).toBe(' (the first problem is at line 1, column 2)');
    expect(
      jsonErrorPlace('', new SyntaxError('Unexpected end of JSON input'))
    ).toBe('');
  });

  it('refuses a script over 2 MiB and takes a good notebook', () => {
    expect(() =>
      checkScript('big.py', new Uint8Array(MAX_ENTRY_BYTES + 1))
    ).toThrow('at most 2.0 MiB');
    expect(() =>
      checkScript('ok.ipynb', encoder.encode(NOTEBOOK))
    ).not.toThrow();
  });
});

describe('prepareSubmission', () => {
  it('hashes the script alone by default', async () => {
    const contents = workspace({
      'study/analysis.py': 'print("hi")\n',
      'study/helpers.py': 'x = 1\n'
    });
    const prepared = await prepareSubmission(contents, 'study/analysis.py', {
      withCompanions: false
    });
    expect(prepared.entry).toBe('analysis.py');
    expect(prepared.files).toHaveLength(1);
    expect(prepared.files[0].sha256).toBe(
      nodeCrypto.createHash('sha256').update('print("hi")\n').digest('hex')
    );
    expect(prepared.files[0].contentBase64).not.toContain('\n');
  });

  it("adds the folder's companions, leaving out hidden files, caches and the results folder", async () => {
    const contents = workspace({
      'study/analysis.py': 'import helpers\n',
      'study/helpers.py': 'x = 1\n',
      'study/data/regions.csv': 'US\n',
      'study/.env': 'SECRET=1',
      'study/__pycache__/helpers.pyc': 'bin',
      'study/dcr-results/job_1/results/a.csv': 'a',
      'other/elsewhere.py': 'no'
    });
    const prepared = await prepareSubmission(contents, 'study/analysis.py', {
      withCompanions: true,
      skipFolders: ['study/dcr-results']
    });
    expect(prepared.files.map(file => file.name).sort()).toEqual([
      'analysis.py',
      'data/regions.csv',
      'helpers.py'
    ]);
    expect(prepared.skipped.sort()).toEqual([
      '.env',
      '__pycache__/',
      'dcr-results/'
    ]);
  });

  it('refuses a folder over the size limit, naming the largest files', async () => {
    const contents = workspace({
      'analysis.py': 'print(1)\n',
      'huge.bin': 'x'
    });
    const get = contents.get;
    contents.get = async (path, options) => {
      const model = await get(path, options);
      if (options?.type === 'directory') {
        for (const item of model.content as Contents.IModel[]) {
          if (item.name === 'huge.bin') {
            (item as { size: number }).size = 25 * 1024 * 1024;
          }
        }
      }
      return model;
    };
    await expect(
      prepareSubmission(contents, 'analysis.py', { withCompanions: true })
    ).rejects.toThrow('huge.bin (25.0 MiB)');
  });

  it('says when the file cannot be read', async () => {
    await expect(
      prepareSubmission(workspace({}), 'gone.py', { withCompanions: false })
    ).rejects.toBeInstanceOf(SubmissionError);
  });
});

function actionsWith(
  files: Record<string, string>,
  answers: boolean[] = [true]
) {
  const api = new FakeJobsApi();
  const model = new JobsModel({ api, detailDelayMs: 0 });
  model.setSignedIn(true);
  const state = new PanelState();
  const dialogs: unknown[] = [];
  const showDialog = jest.fn(async (options: unknown) => {
    dialogs.push(options);
    const accept = answers.shift() ?? false;
    return {
      button: { accept, actions: [], label: '', displayType: 'default' },
      value: null,
      isChecked: null
    } as never;
  });
  const actions = new JobActions({
    api,
    model,
    state,
    contents: workspace(files),
    trans,
    email: () => 'pi@example.org',
    showDialog
  });
  return { api, model, state, actions, showDialog, dialogs };
}

describe('JobActions.submit', () => {
  it('asks first, then submits once and opens the new job', async () => {
    const { actions, api, state, model, dialogs } = actionsWith({
      'analysis.py': 'print(1)\n'
    });
    const job = await actions.submit('analysis.py');
    expect(job?.job_id).toBe('job_new');
    expect(api.submit).toHaveBeenCalledTimes(1);
    expect(api.submit.mock.calls[0]).toEqual([
      {
        entry: 'analysis.py',
        files: [
          {
            name: 'analysis.py',
            content_base64: Buffer.from('print(1)\n').toString('base64')
          }
        ]
      }
    ]);
    expect((dialogs[0] as { title: string }).title).toBe(
      'Submit a job to Data Clean Room?'
    );
    expect(state.selected).toBe('job_new');
    expect(state.banner?.kind).toBe('success');
    expect(model.job('job_new')).toBeDefined();
  });

  it('Cancel changes nothing', async () => {
    const { actions, api, state } = actionsWith(
      { 'analysis.py': 'print(1)\n' },
      [false]
    );
    expect(await actions.submit('analysis.py')).toBeNull();
    expect(api.submit).not.toHaveBeenCalled();
    expect(state.banner).toBeNull();
    expect(state.selected).toBeNull();
  });

  it.each([
    ['notes.txt', { 'notes.txt': 'hello' }, 'is not a script'],
    ['empty.py', { 'empty.py': '' }, 'is empty'],
    ['bad.ipynb', { 'bad.ipynb': '{not json' }, 'not a valid notebook']
  ])(
    'refuses %s in the panel, without asking or sending',
    async (path, files, says) => {
      const { actions, api, state, showDialog } = actionsWith(files);
      expect(await actions.submit(path)).toBeNull();
      expect(showDialog).not.toHaveBeenCalled();
      expect(api.submit).not.toHaveBeenCalled();
      expect(state.banner?.kind).toBe('error');
      expect(state.banner?.text).toContain(says);
    }
  );

  it('the "follows it live" message goes when the job ends; an error stays until it no longer applies', async () => {
    const { actions, model, state } = actionsWith({
      'analysis.py': 'print(1)\n',
      'empty.py': ''
    });
    const job = (await actions.submit('analysis.py'))!;
    expect(state.banner).toMatchObject({ kind: 'success', jobId: job.job_id });
    const later = new Date(Date.parse(job.updated_at) + 60_000).toISOString();
    model.upsert({ ...job, status: 'running', updated_at: later });
    expect(state.banner?.text).toContain('follows it live');
    model.upsert({
      ...job,
      status: 'approved',
      updated_at: new Date(Date.parse(later) + 60_000).toISOString()
    });
    expect(state.banner).toBeNull();

    // An error about one file goes once another file is the one to submit, not before.
    state.currentPath = 'empty.py';
    await actions.submit('empty.py');
    expect(state.banner).toMatchObject({ kind: 'error', path: 'empty.py' });
    state.currentPath = 'empty.py';
    expect(state.banner?.text).toContain('is empty');
    state.currentPath = 'notes.txt';
    expect(state.banner).toBeNull();

    // A script picked from the workspace stays what Submit sends while the active tab changes: so does its error.
    state.chosenPath = 'empty.py';
    await actions.submit('empty.py');
    state.currentPath = 'analysis.py';
    expect(state.target).toBe('empty.py');
    expect(state.banner).toMatchObject({ kind: 'error', path: 'empty.py' });
    state.chosenPath = null;
    expect(state.banner).toBeNull();
  });

  it('the platform going away mid-submit: a clear message, the list re-read, nothing sent twice', async () => {
    const { actions, api, state } = actionsWith({
      'analysis.py': 'print(1)\n'
    });
    api.submit.mockRejectedValueOnce(
      Object.assign(
        new Error(
          'The platform at http://x is not answering (Connection refused).'
        ),
        { status: 503 }
      )
    );
    const listsBefore = api.list.mock.calls.length;
    expect(await actions.submit('analysis.py')).toBeNull();
    expect(api.submit).toHaveBeenCalledTimes(1);
    expect(state.banner?.text).toContain('not answering');
    expect(state.banner?.text).toContain('Check the jobs list');
    expect(state.busy).toBeNull();
    await flush();
    expect(api.list.mock.calls.length).toBe(listsBefore + 1);
  });

  it('offers to save unsaved changes first', async () => {
    const { api, model, state } = actionsWith({});
    const save = jest.fn(async () => undefined);
    const showDialog = jest.fn(
      async () => ({ button: { accept: true, actions: [] } }) as never
    );
    const actions = new JobActions({
      api,
      model,
      state,
      contents: workspace({ 'analysis.py': 'print(1)\n' }),
      trans,
      email: () => null,
      openDocument: () => ({ dirty: true, save }),
      showDialog
    });
    await actions.submit('analysis.py');
    expect(save).toHaveBeenCalled();
    expect(
      (showDialog.mock.calls[0] as unknown as [{ title: string }])[0].title
    ).toContain('Save analysis.py');
    expect(api.submit).toHaveBeenCalledTimes(1);
  });

  it('a test run goes to the test-run route and says nothing is released', async () => {
    const { actions, api, state, dialogs } = actionsWith({
      'analysis.py': 'print(1)\n'
    });
    await actions.submit('analysis.py', { testRun: true });
    expect(api.testRun).toHaveBeenCalledTimes(1);
    expect(api.submit).not.toHaveBeenCalled();
    expect((dialogs[0] as { title: string }).title).toBe(
      'Test run on the sample?'
    );
    expect(state.banner?.text).toContain('Nothing will be released');
  });

  it('a platform without test runs is told plainly', async () => {
    const { actions, api, state } = actionsWith({
      'analysis.py': 'print(1)\n'
    });
    api.testRun.mockRejectedValueOnce(
      Object.assign(new Error('There is no route'), {
        status: 404,
        code: 'not_found'
      })
    );
    await actions.submit('analysis.py', { testRun: true });
    expect(state.banner?.text).toContain('does not offer test runs yet');
  });

  it('cancel asks, then cancels', async () => {
    const { actions, api, model } = actionsWith({}, [true]);
    api.jobs = [makeJob('job_1', { status: 'running' })];
    await model.refresh();
    await actions.cancel('job_1');
    expect(api.cancel).toHaveBeenCalledWith('job_1');
    expect(model.job('job_1')?.status).toBe('cancelled');
  });
});

describe('verifyAttestation (jose, ES256)', () => {
  const jose = jest.requireActual(
    require('path').join(
      process.cwd(),
      'node_modules/jose/dist/node/cjs/index.js'
    )
  );
  const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256'
  });
  const sha = (text: string) =>
    nodeCrypto.createHash('sha256').update(text).digest('hex');

  async function sign(
    statement: object
  ): Promise<{ jws: string; jwks: { keys: object[] } }> {
    const jwk = {
      ...(await jose.exportJWK(publicKey)),
      kid: 'k1',
      alg: 'ES256',
      use: 'sig'
    };
    const jws = await new jose.CompactSign(
      Uint8Array.from(Buffer.from(JSON.stringify(statement)))
    )
      .setProtectedHeader({
        alg: 'ES256',
        kid: 'k1',
        typ: 'vce-attestation+jwt'
      })
      .sign(privateKey);
    return { jws, jwks: { keys: [jwk] } };
  }

  const job = {
    job_id: 'job_1',
    files: [{ name: 'analysis.py', bytes: 3, sha256: sha('abc') }]
  };
  const statement = {
    iss: 'vce',
    iat: 1,
    job_id: 'job_1',
    entry: 'analysis.py',
    status: 'approved',
    verdict: 'approved',
    submitted_files: [{ name: 'analysis.py', sha256: sha('abc') }],
    outputs: [{ name: 'counts.csv', sha256: sha('US,120\n') }],
    runtime: {}
  };

  it('verifies the signature and the downloaded files', async () => {
    const { jws, jwks } = await sign(statement);
    const saved = downloadedOutputs([
      { name: 'results/counts.csv', sha256: sha('US,120\n') },
      { name: 'manifest.json', sha256: 'x' }
    ]);
    const check = await verifyAttestation(jws, jwks as never, job, saved);
    expect(check.valid).toBe(true);
    if (check.valid) {
      expect(check.problems).toEqual([]);
      expect(check.keyId).toBe('k1');
      expect(check.outputs).toEqual([
        {
          name: 'counts.csv',
          signed: sha('US,120\n'),
          downloaded: sha('US,120\n'),
          matches: true
        }
      ]);
    }
  });

  it('finds a changed download, another job, another script', async () => {
    const { jws, jwks } = await sign({
      ...statement,
      job_id: 'job_2',
      submitted_files: [{ name: 'analysis.py', sha256: sha('evil') }]
    });
    const check = await verifyAttestation(
      jws,
      jwks as never,
      job,
      new Map([['counts.csv', sha('US,1\n')]])
    );
    expect(check.valid).toBe(true);
    if (check.valid) {
      expect(check.problems).toEqual([
        'The attestation names job job_2, not job_1.',
        'The submitted analysis.py differs from the one signed.'
      ]);
      expect(check.outputs[0].matches).toBe(false);
    }
  });

  it('refuses a tampered statement or an unknown key', async () => {
    const { jws, jwks } = await sign(statement);
    const [header, , signature] = jws.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...statement, verdict: 'rejected' })).toString('base64url')}.${signature}`;
    expect((await verifyAttestation(forged, jwks as never, job)).valid).toBe(
      false
    );
    const other = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherJwks = {
      keys: [
        { ...(await jose.exportJWK(other.publicKey)), kid: 'k1', alg: 'ES256' }
      ]
    };
    const check = await verifyAttestation(jws, otherJwks as never, job);
    expect(check.valid).toBe(false);
    if (!check.valid) {
      expect(check.reason).toContain(
        "does not verify with the platform's published key"
      );
    }
  });
});
