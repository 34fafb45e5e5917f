import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFaultPlanFile } from '../../src/research/fault-plan';
import { api, startCli } from '../helpers/cli-process';
import { ALICE, bearer, makePlatform, signIn } from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';
import type { ClientSpec } from '../../src/store';

const PATH = '/v2/mock/faults/';
const EXAMPLE = join(__dirname, '..', '..', 'faults', 'example.json');
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const BOB: ClientSpec = {
  clientKey: 'bob-lab',
  clientSecret: 'bob-secret',
  email: 'bob@uni.example'
};
const OWN_PLAN = {
  seed: 3,
  faults: [{ kind: 'search_id_expired', probability: 0.5 }]
};

describe('/v2/mock/faults/ (a client switches faults for itself)', () => {
  const filePlan = readFaultPlanFile(EXAMPLE);
  let platform: ReturnType<typeof makePlatform>;
  let alice: Record<string, string>;
  let bob: Record<string, string>;

  beforeEach(async () => {
    platform = makePlatform({ clients: [BOB], researchFaults: filePlan });
    alice = bearer(await signIn(platform.app, ALICE));
    bob = bearer(await signIn(platform.app, BOB));
  });
  afterEach(() => platform.close());

  const get = (headers: Record<string, string>) =>
    call(platform.app, { method: 'GET', url: PATH, headers });

  it('needs a token', async () => {
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const response = await call(platform.app, {
        method,
        url: PATH,
        ...(method === 'PUT' ? { payload: OWN_PLAN } : {})
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('access_token_invalid');
    }
  });

  it("shows the file's plan, sets the caller's own without touching others, and removes it", async () => {
    expect((await get(alice)).json().data).toEqual({
      source: 'file',
      plan: filePlan
    });

    const put = await call(platform.app, {
      method: 'PUT',
      url: PATH,
      headers: alice,
      payload: OWN_PLAN
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().data).toEqual({ source: 'client', plan: OWN_PLAN });
    expect((await get(alice)).json().data.source).toBe('client');
    expect((await get(bob)).json().data).toEqual({
      source: 'file',
      plan: filePlan
    });

    const removed = await call(platform.app, {
      method: 'DELETE',
      url: PATH,
      headers: alice
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().data).toEqual({ source: 'file', plan: filePlan });
  });

  it('refuses a bad plan with 400 invalid_params naming the place and what is allowed', async () => {
    const response = await call(platform.app, {
      method: 'PUT',
      url: PATH,
      headers: alice,
      payload: { seed: 1, faults: [{ kind: 'internal_error', probability: 2 }] }
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual(
      expect.objectContaining({
        code: 'invalid_params',
        message:
          'The fault plan is not valid: faults[0].probability must be from 0 to 1.'
      })
    );
    // Nothing changed.
    expect((await get(alice)).json().data.source).toBe('file');
  });

  it('refuses a body that is not a plan object', async () => {
    const response = await call(platform.app, {
      method: 'PUT',
      url: PATH,
      headers: { ...alice, 'content-type': 'application/json' },
      payload: '[1, 2]'
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(
      'A fault plan is a JSON object'
    );
  });

  it('answers none without a file and after the own plan is removed', async () => {
    const bare = makePlatform();
    const token = bearer(await signIn(bare.app, ALICE));
    const first = await call(bare.app, {
      method: 'GET',
      url: PATH,
      headers: token
    });
    expect(first.json().data).toEqual({ source: 'none', plan: null });
    await call(bare.app, {
      method: 'PUT',
      url: PATH,
      headers: token,
      payload: OWN_PLAN
    });
    const removed = await call(bare.app, {
      method: 'DELETE',
      url: PATH,
      headers: token
    });
    expect(removed.json().data).toEqual({ source: 'none', plan: null });
    await bare.close();
  });

  it('removes the plan when the DELETE says JSON but sends no body (a session with JSON headers)', async () => {
    const bare = makePlatform();
    const token = bearer(await signIn(bare.app, ALICE));
    await call(bare.app, {
      method: 'PUT',
      url: PATH,
      headers: token,
      payload: OWN_PLAN
    });
    const removed = await call(bare.app, {
      method: 'DELETE',
      url: PATH,
      headers: { ...token, 'content-type': 'application/json' }
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().data).toEqual({ source: 'none', plan: null });
    await bare.close();
  });
});

describe('vce-mock --faults FILE', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vce-faults-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits with 2 and names the file and the place of a bad plan, no stack trace', () => {
    const file = join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        seed: 7,
        faults: [{ kind: 'refuse_user', reason: 'banned' }]
      })
    );
    const result = spawnSync(
      process.execPath,
      [CLI, '--faults', file, '--data-dir', dir, '--port', '0'],
      { encoding: 'utf8' }
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `vce-mock: --faults ${file}: The fault plan is not valid: faults[0].reason must be one of cannot_return, not_found, private.`
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it("serves the file's plan to every client", async () => {
    const cli = await startCli(dir, ['--videos', '200', '--faults', EXAMPLE]);
    try {
      const shown = await api(cli, 'GET', PATH);
      expect(shown.status).toBe(200);
      expect(shown.body.data).toEqual({
        source: 'file',
        plan: readFaultPlanFile(EXAMPLE)
      });
    } finally {
      await cli.stop();
    }
  });

  it('exits with 2 on a file that is not JSON', () => {
    const file = join(dir, 'plan.json');
    writeFileSync(file, '{"seed": 7,');
    const result = spawnSync(process.execPath, [CLI, '--faults', file], {
      encoding: 'utf8'
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`vce-mock: --faults ${file} is not JSON`);
  });
});
