import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { Store, type ClientSpec } from '../src/store';
import { ALICE, bearer, signIn } from './helpers/helpers';
import { call } from './helpers/openapi-conformance';

/**
 * vce-mock --clients-file: the file (and the flags) are the whole team, so a client
 * taken out of the file stops working at the next start, while its jobs stay.
 */
const BOB: ClientSpec = {
  clientKey: 'bob-lab',
  clientSecret: 'bob-Secret-1',
  email: 'bob@uni.example'
};
const REVIEWER: ClientSpec = {
  clientKey: 'rev-1',
  clientSecret: 'rev-Secret-1',
  email: 'rev@uni.example',
  role: 'reviewer'
};
const NOW = new Date('2026-12-06T12:00:00Z');

describe('clients taken out of the clients file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vce-removal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lose their sign-in, tokens and tasks; their jobs, history and mail stay', () => {
    const store = new Store(join(dir, 'db.sqlite'));
    for (const spec of [ALICE, BOB, REVIEWER]) {
      store.upsertClient(spec, NOW);
    }
    store.saveToken('clt.alice-token', ALICE.clientKey, 0, 9e15);
    const db = store.database;
    db.prepare(
      `INSERT INTO jobs (job_id, client_key, entry, status, created_at, updated_at)
       VALUES ('job_a', ?, 'analysis.py', 'released', ?, ?)`
    ).run(ALICE.clientKey, NOW.toISOString(), NOW.toISOString());
    db.prepare(
      "INSERT INTO job_history (job_id, status, at) VALUES ('job_a', 'released', ?)"
    ).run(NOW.toISOString());
    db.prepare(
      `INSERT INTO mail (job_id, kind, recipient, subject, body, created_at)
       VALUES ('job_a', 'released', ?, 'Released', 'Your results', ?)`
    ).run(ALICE.email, NOW.toISOString());
    store.createTask({
      taskId: 'task_a',
      clientKey: ALICE.clientKey,
      stage: 'test',
      request: '{}',
      status: 'Completed',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      count: 0,
      errorCode: null,
      errorMessage: null,
      resultIds: null
    });

    expect(store.removeClientsExcept([BOB.clientKey], NOW)).toEqual([
      ALICE.clientKey,
      REVIEWER.clientKey
    ]);
    expect(store.verifyClient(ALICE.clientKey, ALICE.clientSecret)).toBe(false);
    expect(store.verifyClient(REVIEWER.clientKey, REVIEWER.clientSecret)).toBe(
      false
    );
    expect(store.verifyClient(BOB.clientKey, BOB.clientSecret)).toBe(true);
    expect(store.findToken('clt.alice-token')).toBeNull();
    expect(store.getTask('task_a')).toBeNull();
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT count(*) AS n FROM jobs WHERE job_id = 'job_a'")).toBe(
      1
    );
    expect(
      count("SELECT count(*) AS n FROM job_history WHERE job_id = 'job_a'")
    ).toBe(1);
    expect(count("SELECT count(*) AS n FROM mail WHERE job_id = 'job_a'")).toBe(
      1
    );
    // The kept job still names its client (its mail goes to the address on record).
    expect(store.getClient(ALICE.clientKey)?.email).toBe(ALICE.email);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(
      store.auditTrail(ALICE.clientKey).map(entry => entry.action)
    ).toContain('client_removed');
    // Removing again removes nothing; listing the key again brings the client back.
    expect(store.removeClientsExcept([BOB.clientKey], NOW)).toEqual([]);
    store.upsertClient(ALICE, NOW);
    expect(store.verifyClient(ALICE.clientKey, ALICE.clientSecret)).toBe(true);
    store.close();
  });

  it('are removed at start with removeOtherClients, logged by key without secrets; without it they stay', async () => {
    const path = join(dir, 'vce-mock.sqlite');
    let app = buildApp({ store: path, clients: [ALICE, BOB, REVIEWER] });
    const aliceToken = await signIn(app, ALICE);
    await app.close();

    const lines: string[] = [];
    app = buildApp({
      store: path,
      clients: [BOB],
      removeOtherClients: true,
      logger: { level: 'info', stream: { write: line => lines.push(line) } }
    });
    await app.ready();
    const me = await call(app, {
      url: '/v2/vce/me/',
      headers: bearer(aliceToken)
    });
    expect(me.statusCode).toBe(401);
    await expect(signIn(app, ALICE)).rejects.toThrow(/sign-in failed/);
    await expect(signIn(app, REVIEWER)).rejects.toThrow(/sign-in failed/);
    expect(await signIn(app, BOB)).toMatch(/^clt\./);
    await app.close();
    const log = lines.join('');
    expect(log).toContain(
      'removed 2 client(s) no longer in the clients file: alice-lab, rev-1'
    );
    for (const spec of [ALICE, BOB, REVIEWER]) {
      expect(log).not.toContain(spec.clientSecret);
    }

    // Without a clients file (no removeOtherClients) nobody is removed.
    app = buildApp({ store: path, clients: [ALICE] });
    expect(await signIn(app, ALICE)).toMatch(/^clt\./);
    expect(await signIn(app, BOB)).toMatch(/^clt\./);
    await app.close();
  });
});
