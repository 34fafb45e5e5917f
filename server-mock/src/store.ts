import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { hashSecret, secretMatches, tokenDigest } from './secrets';

/** A research client as configured (`--client KEY:SECRET[:EMAIL]`). */
export interface ClientSpec {
  clientKey: string;
  clientSecret: string;
  email: string;
}

/** A research client as the platform knows it. */
export interface ClientRecord {
  clientKey: string;
  email: string;
  projectId: string;
  projectName: string;
  role: 'researcher';
}

export type UsageGrant =
  | { granted: true; used: number }
  | { granted: false; used: number; remaining: number };

const MIGRATIONS: string[] = [
  `CREATE TABLE clients (
     client_key   TEXT PRIMARY KEY,
     secret_salt  BLOB NOT NULL,
     secret_hash  BLOB NOT NULL,
     email        TEXT NOT NULL,
     project_id   TEXT NOT NULL,
     project_name TEXT NOT NULL,
     role         TEXT NOT NULL DEFAULT 'researcher',
     created_at   TEXT NOT NULL
   );
   CREATE TABLE tokens (
     token_digest TEXT PRIMARY KEY,
     client_key   TEXT NOT NULL REFERENCES clients(client_key) ON DELETE CASCADE,
     issued_at    INTEGER NOT NULL,
     expires_at   INTEGER NOT NULL
   );
   CREATE INDEX tokens_expiry ON tokens(expires_at);
   CREATE TABLE quota_usage (
     client_key TEXT NOT NULL REFERENCES clients(client_key) ON DELETE CASCADE,
     day        TEXT NOT NULL,
     used       INTEGER NOT NULL CHECK (used >= 0),
     PRIMARY KEY (client_key, day)
   );
   CREATE TABLE audit (
     id         INTEGER PRIMARY KEY,
     at         TEXT NOT NULL,
     client_key TEXT,
     action     TEXT NOT NULL,
     detail     TEXT NOT NULL DEFAULT ''
   );`
];

/** The project every rehearsal client belongs to unless told otherwise. */
export const DEFAULT_PROJECT_NAME = 'Local rehearsal project';

function projectIdFor(clientKey: string): string {
  return `prj-${createHash('sha256').update(clientKey).digest('hex').slice(0, 10)}`;
}

/**
 * The platform's persistent state in one SQLite file: clients, tokens,
 * daily usage and an audit trail. A restart loses nothing.
 */
export class Store {
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    const select = this.db.prepare('SELECT used FROM quota_usage WHERE client_key = ? AND day = ?');
    const upsert = this.db.prepare(
      `INSERT INTO quota_usage (client_key, day, used) VALUES (?, ?, ?)
       ON CONFLICT(client_key, day) DO UPDATE SET used = excluded.used`
    );
    this.recordUsageTx = this.db.transaction(
      (clientKey: string, day: string, records: number, limit: number): UsageGrant => {
        const used = (select.get(clientKey, day) as { used: number } | undefined)?.used ?? 0;
        if (used + records > limit) {
          return { granted: false, used, remaining: Math.max(0, limit - used) };
        }
        upsert.run(clientKey, day, used + records);
        return { granted: true, used: used + records };
      }
    );
  }

  close(): void {
    this.db.close();
  }

  /** Register a client, or update its secret and email. */
  upsertClient(spec: ClientSpec, now: Date): void {
    const { salt, hash } = hashSecret(spec.clientSecret);
    this.db
      .prepare(
        `INSERT INTO clients (client_key, secret_salt, secret_hash, email, project_id, project_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(client_key) DO UPDATE SET
           secret_salt = excluded.secret_salt, secret_hash = excluded.secret_hash, email = excluded.email`
      )
      .run(spec.clientKey, salt, hash, spec.email, projectIdFor(spec.clientKey), DEFAULT_PROJECT_NAME, now.toISOString());
  }

  getClient(clientKey: string): ClientRecord | null {
    const row = this.db
      .prepare('SELECT client_key, email, project_id, project_name FROM clients WHERE client_key = ?')
      .get(clientKey) as { client_key: string; email: string; project_id: string; project_name: string } | undefined;
    return row
      ? {
          clientKey: row.client_key,
          email: row.email,
          projectId: row.project_id,
          projectName: row.project_name,
          role: 'researcher'
        }
      : null;
  }

  /** True when the key exists and the secret is its secret. */
  verifyClient(clientKey: string, clientSecret: string): boolean {
    const row = this.db
      .prepare('SELECT secret_salt, secret_hash FROM clients WHERE client_key = ?')
      .get(clientKey) as { secret_salt: Buffer; secret_hash: Buffer } | undefined;
    return row ? secretMatches(clientSecret, row.secret_salt, row.secret_hash) : false;
  }

  saveToken(token: string, clientKey: string, issuedAt: number, expiresAt: number): void {
    this.db
      .prepare('INSERT INTO tokens (token_digest, client_key, issued_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenDigest(token), clientKey, issuedAt, expiresAt);
  }

  /** The token's client and expiry, or null for a token never issued. */
  findToken(token: string): { clientKey: string; expiresAt: number } | null {
    const row = this.db
      .prepare('SELECT client_key, expires_at FROM tokens WHERE token_digest = ?')
      .get(tokenDigest(token)) as { client_key: string; expires_at: number } | undefined;
    return row ? { clientKey: row.client_key, expiresAt: row.expires_at } : null;
  }

  /** Forget tokens that expired more than a day ago (kept a while to say "expired"). */
  pruneTokens(now: number): number {
    return this.db.prepare('DELETE FROM tokens WHERE expires_at < ?').run(now - 86_400_000).changes;
  }

  usedOn(clientKey: string, day: string): number {
    const row = this.db
      .prepare('SELECT used FROM quota_usage WHERE client_key = ? AND day = ?')
      .get(clientKey, day) as { used: number } | undefined;
    return row?.used ?? 0;
  }

  /**
   * Count `records` against a client's day, all or nothing: in one immediate
   * transaction, so concurrent requests (even from other processes) can never
   * be granted more than `limit` together.
   */
  recordUsage(clientKey: string, day: string, records: number, limit: number): UsageGrant {
    if (!Number.isInteger(records) || records < 0) {
      throw new RangeError(`records must be a non-negative integer, not ${records}`);
    }
    return this.recordUsageTx.immediate(clientKey, day, records, limit);
  }

  audit(at: Date, clientKey: string | null, action: string, detail = ''): void {
    this.db
      .prepare('INSERT INTO audit (at, client_key, action, detail) VALUES (?, ?, ?, ?)')
      .run(at.toISOString(), clientKey, action, detail);
  }

  auditTrail(clientKey: string): { action: string; detail: string }[] {
    return this.db
      .prepare('SELECT action, detail FROM audit WHERE client_key = ? ORDER BY id')
      .all(clientKey) as { action: string; detail: string }[];
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let index = version; index < MIGRATIONS.length; index++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[index]);
        this.db.pragma(`user_version = ${index + 1}`);
      })();
    }
  }

  private readonly db: Database.Database;
  private readonly recordUsageTx: Database.Transaction<
    (clientKey: string, day: string, records: number, limit: number) => UsageGrant
  >;
}
