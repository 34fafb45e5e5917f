/**
 * Exactly-once charges (issue 18): a test run's charge and the records it
 * delivers to the run are one transaction, and undoing an attempt refunds
 * exactly its charges, whatever else the client read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chargeQuota } from '../../src/quota';
import { Store } from '../../src/store';
import { ALICE } from '../helpers/helpers';

const NOW = new Date('2026-11-25T21:30:00Z');
const DAY = '2026-11-25';

describe('test-run charges', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vce-rec18-charges-'));
    store = new Store(join(dir, 'vce-mock.sqlite'));
    store.upsertClient(ALICE, NOW);
    for (const jobId of ['job_a', 'job_b']) {
      store.database
        .prepare(
          `INSERT INTO jobs (job_id, client_key, entry, status, created_at, updated_at, stage)
           VALUES (?, ?, 'a.py', 'running', ?, ?, 'test')`
        )
        .run(jobId, ALICE.clientKey, NOW.toISOString(), NOW.toISOString());
    }
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const recordsRead = (jobId: string) =>
    store.database
      .prepare('SELECT records_read FROM jobs WHERE job_id = ?')
      .pluck()
      .get(jobId) as number;

  it("charges a run's reads with its records_read and refunds exactly them", () => {
    const seen: number[] = [];
    store.onUsage = (_key, _day, used) => seen.push(used);
    const limit = 5000;
    expect(
      chargeQuota(store, ALICE.clientKey, 30, limit, NOW, 'job_a').granted
    ).toBe(true);
    expect(
      chargeQuota(store, ALICE.clientKey, 20, limit, NOW, 'job_a').granted
    ).toBe(true);
    expect(
      chargeQuota(store, ALICE.clientKey, 7, limit, NOW, 'job_b').granted
    ).toBe(true);
    // The researcher's own read is final: not a run's, never refunded.
    expect(chargeQuota(store, ALICE.clientKey, 10, limit, NOW).granted).toBe(
      true
    );
    expect(store.usedOn(ALICE.clientKey, DAY)).toBe(67);
    expect(recordsRead('job_a')).toBe(50);
    expect(recordsRead('job_b')).toBe(7);

    expect(store.undoJobAttempt('job_a')).toBe(50);
    expect(store.usedOn(ALICE.clientKey, DAY)).toBe(17);
    expect(recordsRead('job_a')).toBe(0);
    expect(recordsRead('job_b')).toBe(7);
    expect(seen.at(-1)).toBe(17); // the status bar hears the refund
    // Undone once: a second undo (another restart before the re-run) refunds nothing more.
    expect(store.undoJobAttempt('job_a')).toBe(0);
    expect(store.usedOn(ALICE.clientKey, DAY)).toBe(17);
  });

  it('records nothing for a run when the quota refuses its read', () => {
    expect(chargeQuota(store, ALICE.clientKey, 4990, 5000, NOW).granted).toBe(
      true
    );
    const refused = chargeQuota(store, ALICE.clientKey, 40, 5000, NOW, 'job_a');
    expect(refused).toMatchObject({ granted: false, quota: { used: 4990 } });
    expect(recordsRead('job_a')).toBe(0);
    expect(store.undoJobAttempt('job_a')).toBe(0);
    expect(store.usedOn(ALICE.clientKey, DAY)).toBe(4990);
  });

  it('charges and counts in one transaction: a failing count leaves no charge', () => {
    // A run whose row cannot take the records (a trigger stands in for a crash mid-transaction).
    store.database.exec(
      `CREATE TRIGGER refuse_read BEFORE UPDATE OF records_read ON jobs
         WHEN NEW.job_id = 'job_b' BEGIN SELECT RAISE(ABORT, 'cut short'); END;`
    );
    expect(() =>
      chargeQuota(store, ALICE.clientKey, 25, 5000, NOW, 'job_b')
    ).toThrow(/cut short/);
    expect(store.usedOn(ALICE.clientKey, DAY)).toBe(0);
    store.database.exec('DROP TRIGGER refuse_read');
    expect(store.undoJobAttempt('job_b')).toBe(0);
  });
});
