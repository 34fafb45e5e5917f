import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp } from '../src/app';
import { MIGRATIONS } from '../src/migrations';
import { Store } from '../src/store';
import { ALICE, bearer, signIn } from './helpers/helpers';
import { call } from './helpers/openapi-conformance';

const run = promisify(execFile);

describe('Store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vce-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never stores a client secret or a token in plain text', async () => {
    const path = join(dir, 'db.sqlite');
    const store = new Store(path);
    store.upsertClient(ALICE, new Date());
    const app = buildApp({ store });
    const token = await signIn(app);
    await app.close();
    store.close();
    const { stdout } = await run('node', [
      '-e',
      `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)},{readonly:true});` +
        `console.log(JSON.stringify([d.prepare('select * from clients').all(),d.prepare('select * from tokens').all()]))`
    ]);
    expect(stdout).not.toContain(ALICE.clientSecret);
    expect(stdout).not.toContain(token);
    expect(stdout).toContain(ALICE.clientKey);
  });

  it('grants usage all or nothing and says what remains', () => {
    const store = new Store(join(dir, 'db.sqlite'));
    store.upsertClient(ALICE, new Date());
    expect(
      store.recordUsage(ALICE.clientKey, '2026-11-25', 4990, 5000)
    ).toEqual({ granted: true, used: 4990 });
    expect(store.recordUsage(ALICE.clientKey, '2026-11-25', 11, 5000)).toEqual({
      granted: false,
      used: 4990,
      remaining: 10
    });
    expect(store.recordUsage(ALICE.clientKey, '2026-11-25', 10, 5000)).toEqual({
      granted: true,
      used: 5000
    });
    expect(store.usedOn(ALICE.clientKey, '2026-11-25')).toBe(5000);
    expect(() =>
      store.recordUsage(ALICE.clientKey, '2026-11-25', -1, 5000)
    ).toThrow(RangeError);
    store.close();
  });

  it('never over-grants when several processes record usage at once', async () => {
    const path = join(dir, 'db.sqlite');
    const store = new Store(path);
    store.upsertClient(ALICE, new Date());
    store.close();
    // 4 processes x 60 requests of 7 records against a limit of 1,000.
    const script = `
      const { Store } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'store.js'))});
      const store = new Store(process.argv[1]);
      let granted = 0;
      for (let i = 0; i < 60; i++) {
        if (store.recordUsage('alice-lab', '2026-11-25', 7, 1000).granted) granted += 7;
      }
      store.close();
      console.log(granted);`;
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(() => run('node', ['-e', script, path]))
    );
    const grantedTotal = outputs.reduce(
      (sum, { stdout }) => sum + Number(stdout.trim()),
      0
    );
    const check = new Store(path);
    const used = check.usedOn(ALICE.clientKey, '2026-11-25');
    check.close();
    expect(used).toBe(grantedTotal);
    expect(used).toBeLessThanOrEqual(1000);
    expect(used).toBe(994); // 142 grants of 7: the largest multiple of 7 not above 1,000
  });

  it('opens the store from a path, registers clients, and keeps them, tokens and usage across a restart', async () => {
    const path = join(dir, 'vce-mock.sqlite');
    const clock = () => new Date('2026-11-25T12:00:00Z');
    let app = buildApp({ store: path, clients: [ALICE], now: clock });
    const token = await signIn(app);
    const quota = await call(app, {
      url: '/v2/vce/quota/',
      headers: bearer(token)
    });
    expect(quota.json().data.used).toBe(0);
    await app.close();

    const store = new Store(path);
    expect(store.recordUsage(ALICE.clientKey, '2026-11-25', 40, 5000)).toEqual({
      granted: true,
      used: 40
    });
    store.close();

    // No clients this time: the registered one, its token and its usage survive.
    app = buildApp({ store: path, now: clock });
    const after = await call(app, {
      url: '/v2/vce/quota/',
      headers: bearer(token)
    });
    expect(after.statusCode).toBe(200);
    expect(after.json().data).toMatchObject({ used: 40, remaining: 4960 });
    expect(await signIn(app)).toMatch(/^clt\./);
    await app.close();
  });

  it('closes a store it opened from a path when the app closes', async () => {
    const path = join(dir, 'vce-mock.sqlite');
    const app = buildApp({ store: path, clients: [ALICE] });
    await app.close();
    // A closed database leaves no WAL behind: the -wal file is folded back and removed.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('upgrades a first-version database in place, keeping its rows (WAL, user_version)', () => {
    const path = join(dir, 'db.sqlite');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO clients VALUES ('old-lab', x'00', x'00', 'pi@old.example', 'prj-old', 'Old project', 'researcher', '2026-01-01')`
      )
      .run();
    old.close();

    const store = new Store(path);
    expect(store.getClient('old-lab')).toMatchObject({
      email: 'pi@old.example',
      projectName: 'Old project'
    });
    store.close();
    const upgraded = new Database(path, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(
      MIGRATIONS.length
    );
    expect(upgraded.pragma('journal_mode', { simple: true })).toBe('wal');
    upgraded.close();
  });

  it('adds the Research API usage table to a database of the previous version, keeping its test-stage usage', () => {
    const path = join(dir, 'db.sqlite');
    const old = new Database(path);
    const previous = MIGRATIONS.findIndex(sql =>
      sql.includes('CREATE TABLE research_usage')
    );
    expect(previous).toBeGreaterThan(0);
    for (const sql of MIGRATIONS.slice(0, previous)) {
      old.exec(sql);
    }
    old.pragma(`user_version = ${previous}`);
    old
      .prepare(
        `INSERT INTO clients (client_key, secret_salt, secret_hash, email, project_id, project_name, created_at)
         VALUES ('old-lab', x'00', x'00', 'pi@old.example', 'prj-old', 'Old project', '2026-01-01')`
      )
      .run();
    old
      .prepare(`INSERT INTO quota_usage VALUES ('old-lab', '2026-11-25', 40)`)
      .run();
    old.close();

    const store = new Store(path);
    expect(store.usedOn('old-lab', '2026-11-25')).toBe(40);
    expect(store.researchUsedOn('old-lab', '2026-11-25', 'research')).toEqual({
      requests: 0,
      records: 0
    });
    expect(
      store.recordResearchUsage(
        'old-lab',
        '2026-11-25',
        'follow',
        { requests: 1, records: 7 },
        () => true
      )
    ).toEqual({ granted: true, used: { requests: 1, records: 7 } });
    expect(store.researchUsedOn('old-lab', '2026-11-25', 'follow')).toEqual({
      requests: 1,
      records: 7
    });
    expect(store.usedOn('old-lab', '2026-11-25')).toBe(40);
    store.close();
  });

  it('keeps clients, tokens and usage across a restart', async () => {
    const path = join(dir, 'db.sqlite');
    let store = new Store(path);
    store.upsertClient(ALICE, new Date());
    let app = buildApp({ store });
    const token = await signIn(app);
    store.recordUsage(
      ALICE.clientKey,
      new Date().toISOString().slice(0, 10),
      25,
      5000
    );
    await app.close();
    store.close();

    store = new Store(path);
    app = buildApp({ store });
    const response = await call(app, {
      url: '/v2/vce/quota/',
      headers: bearer(token)
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.used).toBe(25);
    await app.close();
    store.close();
  });
});
