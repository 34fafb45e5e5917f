import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  hashSecret,
  newAccessToken,
  secretMatches,
  tokenDigest
} from './secrets';
import { MIGRATIONS } from './migrations';
import type { ResearchBucket } from './research/meter';

/** A research client as configured (`--client KEY:SECRET[:EMAIL]`). */
export interface ClientSpec {
  clientKey: string;
  clientSecret: string;
  email: string;
  /** researcher (the default) or reviewer (`--reviewer KEY:SECRET`: decides manual reviews). */
  role?: ClientRole;
  /** The research project's name (`project_name` in a `--clients-file`); default DEFAULT_PROJECT_NAME. */
  projectName?: string;
}

export type ClientRole = 'researcher' | 'reviewer';

/** A research client as the platform knows it. */
export interface ClientRecord {
  clientKey: string;
  email: string;
  projectId: string;
  projectName: string;
  role: ClientRole;
}

export type UsageGrant =
  | { granted: true; used: number }
  | { granted: false; used: number; remaining: number };

/** Research API use: requests and records (a day's use, a charge, or a day's limits). */
export interface ResearchUsage {
  requests: number;
  records: number;
}

/** A token's scope: a researcher's (test stage) or a job's (execution stage). */
export type TokenScope = 'research.vce' | 'research.vce.job';
export const RESEARCHER_SCOPE: TokenScope = 'research.vce';
export const JOB_SCOPE: TokenScope = 'research.vce.job';

export type TaskStatus =
  | 'Created'
  | 'Validating'
  | 'Processing'
  | 'Completed'
  | 'AnalysisFailed'
  | 'Cancelled';

/** A query task as stored. */
export interface QueryTaskRecord {
  taskId: string;
  clientKey: string;
  stage: 'test' | 'job';
  /** The request body, as JSON text. */
  request: string;
  status: TaskStatus;
  createdAt: string;
  updatedAt: string;
  count: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Test stage: the sampled ids, as JSON text. */
  resultIds: string | null;
  /** The job (run or test run) whose token created it; null for a researcher's own task. */
  jobId?: string | null;
}

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
    const select = this.statement(
      'SELECT used FROM quota_usage WHERE client_key = ? AND day = ?'
    );
    const upsert = this.statement(
      `INSERT INTO quota_usage (client_key, day, used) VALUES (?, ?, ?)
       ON CONFLICT(client_key, day) DO UPDATE SET used = excluded.used`
    );
    const charged = this.statement(
      'INSERT INTO job_charges (job_id, client_key, day, records) VALUES (?, ?, ?, ?)'
    );
    const read = this.statement(
      'UPDATE jobs SET records_read = records_read + ? WHERE job_id = ?'
    );
    this.recordUsageTx = this.db.transaction(
      (
        clientKey: string,
        day: string,
        records: number,
        limit: number,
        jobId: string | null
      ): UsageGrant => {
        const used =
          (select.get(clientKey, day) as { used: number } | undefined)?.used ??
          0;
        if (used + records > limit) {
          return { granted: false, used, remaining: Math.max(0, limit - used) };
        }
        upsert.run(clientKey, day, used + records);
        if (jobId !== null) {
          // A test run's charge and the records it delivers to the run: both or neither.
          charged.run(jobId, clientKey, day, records);
          read.run(records, jobId);
        }
        return { granted: true, used: used + records };
      }
    );
  }

  /** A prepared statement, prepared once per SQL text (preparing costs more than most of these queries). */
  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private readonly statements = new Map<string, Database.Statement>();

  close(): void {
    this.db.close();
  }

  /** Register a client, or update its secret, email, role and project name. */
  upsertClient(spec: ClientSpec, now: Date): void {
    const { salt, hash } = hashSecret(spec.clientSecret);
    this.statement(
      `INSERT INTO clients (client_key, secret_salt, secret_hash, email, project_id, project_name, created_at, role)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(client_key) DO UPDATE SET
           secret_salt = excluded.secret_salt, secret_hash = excluded.secret_hash, email = excluded.email, role = excluded.role,
           project_name = excluded.project_name, removed_at = NULL`
    ).run(
      spec.clientKey,
      salt,
      hash,
      spec.email,
      projectIdFor(spec.clientKey),
      spec.projectName ?? DEFAULT_PROJECT_NAME,
      now.toISOString(),
      spec.role ?? 'researcher'
    );
  }

  /**
   * Remove every client whose key is not in `keep` (a team's clients file and
   * flags are the whole team): it can no longer sign in, its tokens and query
   * tasks are deleted (what ON DELETE CASCADE would delete), and the removal is
   * audited. Its row stays, marked removed: its jobs, their results and mail are
   * kept for audit and their reviews still name it. Registering the key again
   * (upsertClient) brings it back. Returns the keys removed now, sorted.
   */
  removeClientsExcept(keep: Iterable<string>, now: Date): string[] {
    const kept = new Set(keep);
    return this.db.transaction(() => {
      const active = this.statement(
        'SELECT client_key FROM clients WHERE removed_at IS NULL ORDER BY client_key'
      ).all() as { client_key: string }[];
      const removed = active
        .map(row => row.client_key)
        .filter(key => !kept.has(key));
      for (const key of removed) {
        this.statement(
          'UPDATE clients SET removed_at = ? WHERE client_key = ?'
        ).run(now.toISOString(), key);
        this.statement('DELETE FROM tokens WHERE client_key = ?').run(key);
        this.statement('DELETE FROM query_tasks WHERE client_key = ?').run(key);
        this.audit(now, key, 'client_removed', 'not in the clients file');
      }
      return removed;
    })();
  }

  /** The client (a removed one too: its jobs still name it), or null. */
  getClient(clientKey: string): ClientRecord | null {
    const row = this.statement(
      'SELECT client_key, email, project_id, project_name, role FROM clients WHERE client_key = ?'
    ).get(clientKey) as
      | {
          client_key: string;
          email: string;
          project_id: string;
          project_name: string;
          role: ClientRole;
        }
      | undefined;
    return row
      ? {
          clientKey: row.client_key,
          email: row.email,
          projectId: row.project_id,
          projectName: row.project_name,
          role: row.role
        }
      : null;
  }

  /**
   * True when the key exists and the secret is its secret. An unknown key costs
   * the same scrypt as a known one, so timing does not tell which keys exist.
   */
  verifyClient(clientKey: string, clientSecret: string): boolean {
    const row = this.statement(
      'SELECT secret_salt, secret_hash FROM clients WHERE client_key = ? AND removed_at IS NULL'
    ).get(clientKey) as
      { secret_salt: Buffer; secret_hash: Buffer } | undefined;
    if (!row) {
      hashSecret(clientSecret);
      return false;
    }
    return secretMatches(clientSecret, row.secret_salt, row.secret_hash);
  }

  saveToken(
    token: string,
    clientKey: string,
    issuedAt: number,
    expiresAt: number,
    scope: TokenScope = RESEARCHER_SCOPE,
    jobId: string | null = null
  ): void {
    this.statement(
      'INSERT INTO tokens (token_digest, client_key, issued_at, expires_at, scope, job_id) VALUES (?, ?, ?, ?, ?, ?)'
    ).run(tokenDigest(token), clientKey, issuedAt, expiresAt, scope, jobId);
  }

  /**
   * A job-scoped token (`research.vce.job`) for a client: the runner hands one
   * to each job run (tests issue one here without a job).
   */
  issueJobToken(
    clientKey: string,
    now: Date,
    ttlSeconds = 7200,
    jobId: string | null = null
  ): string {
    const token = newAccessToken();
    this.saveToken(
      token,
      clientKey,
      now.getTime(),
      now.getTime() + ttlSeconds * 1000,
      JOB_SCOPE,
      jobId
    );
    return token;
  }

  /**
   * A researcher-scope token tied to a test run: its queries answer with the
   * test stage's sample and count toward the client's daily quota, and it ends
   * with the run (`revokeJobTokens`).
   */
  issueTestRunToken(
    clientKey: string,
    now: Date,
    ttlSeconds: number,
    jobId: string
  ): string {
    const token = newAccessToken();
    this.saveToken(
      token,
      clientKey,
      now.getTime(),
      now.getTime() + ttlSeconds * 1000,
      RESEARCHER_SCOPE,
      jobId
    );
    return token;
  }

  /** End every token of a job (its run is over), and the query tasks it created. */
  revokeJobTokens(jobId: string): void {
    this.statement('DELETE FROM tokens WHERE job_id = ?').run(jobId);
    this.statement('DELETE FROM query_tasks WHERE job_id = ?').run(jobId);
  }

  /** The token's client, expiry and scope, or null for a token never issued. */
  findToken(token: string): {
    clientKey: string;
    expiresAt: number;
    scope: TokenScope;
    jobId: string | null;
  } | null {
    const row = this.statement(
      'SELECT client_key, expires_at, scope, job_id FROM tokens WHERE token_digest = ?'
    ).get(tokenDigest(token)) as
      | {
          client_key: string;
          expires_at: number;
          scope: TokenScope;
          job_id: string | null;
        }
      | undefined;
    return row
      ? {
          clientKey: row.client_key,
          expiresAt: row.expires_at,
          scope: row.scope,
          jobId: row.job_id
        }
      : null;
  }

  createTask(task: QueryTaskRecord): void {
    this.statement(
      `INSERT INTO query_tasks (task_id, client_key, stage, request, status, created_at, updated_at, count, error_code, error_message, result_ids, job_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ).run(
      task.taskId,
      task.clientKey,
      task.stage,
      task.request,
      task.status,
      task.createdAt,
      task.updatedAt,
      task.count,
      task.errorCode,
      task.errorMessage,
      task.resultIds,
      task.jobId ?? null
    );
  }

  /** A client's task (another client's is as good as absent). */
  getTask(taskId: string, clientKey?: string): QueryTaskRecord | null {
    const row = this.statement(
      'SELECT * FROM query_tasks WHERE task_id = ?'
    ).get(taskId) as Record<string, unknown> | undefined;
    if (!row || (clientKey !== undefined && row.client_key !== clientKey)) {
      return null;
    }
    return {
      taskId: row.task_id as string,
      clientKey: row.client_key as string,
      stage: row.stage as 'test' | 'job',
      request: row.request as string,
      status: row.status as TaskStatus,
      createdAt: row.created_at as string,
      updatedAt: row.updated_at as string,
      count: row.count as number | null,
      errorCode: row.error_code as string | null,
      errorMessage: row.error_message as string | null,
      resultIds: row.result_ids as string | null,
      jobId: (row.job_id as string | null) ?? null
    };
  }

  /**
   * Move a task to a new status, only from one of `from` (so a cancelled task
   * stays cancelled); true when it moved.
   */
  updateTask(
    taskId: string,
    from: TaskStatus[],
    change: {
      status: TaskStatus;
      updatedAt: string;
      count?: number | null;
      errorCode?: string | null;
      errorMessage?: string | null;
      resultIds?: string | null;
    }
  ): boolean {
    const result = this.statement(
      `UPDATE query_tasks SET status = ?, updated_at = ?,
           count = coalesce(?, count), error_code = coalesce(?, error_code),
           error_message = coalesce(?, error_message), result_ids = coalesce(?, result_ids)
         WHERE task_id = ? AND status IN (SELECT value FROM json_each(?))`
    ).run(
      change.status,
      change.updatedAt,
      change.count ?? null,
      change.errorCode ?? null,
      change.errorMessage ?? null,
      change.resultIds ?? null,
      taskId,
      JSON.stringify(from)
    );
    return result.changes === 1;
  }

  /**
   * Move every task in one of `from` to a final status with an error (restart
   * recovery: the tasks a previous process left mid-way); how many moved.
   */
  endTasks(
    from: TaskStatus[],
    change: {
      status: TaskStatus;
      updatedAt: string;
      errorCode: string;
      errorMessage: string;
    }
  ): number {
    return this.statement(
      `UPDATE query_tasks SET status = ?, updated_at = ?, error_code = ?, error_message = ?
         WHERE status IN (SELECT value FROM json_each(?))`
    ).run(
      change.status,
      change.updatedAt,
      change.errorCode,
      change.errorMessage,
      JSON.stringify(from)
    ).changes;
  }

  /**
   * Run `work` inside one immediate transaction (e.g. charge the quota and
   * complete a task together: both or neither).
   */
  immediate<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Forget tokens that expired more than a day ago (kept a while to say "expired"). */
  pruneTokens(now: number): number {
    return this.statement('DELETE FROM tokens WHERE expires_at < ?').run(
      now - 86_400_000
    ).changes;
  }

  usedOn(clientKey: string, day: string): number {
    const row = this.statement(
      'SELECT used FROM quota_usage WHERE client_key = ? AND day = ?'
    ).get(clientKey, day) as { used: number } | undefined;
    return row?.used ?? 0;
  }

  /**
   * Count `records` against a client's day, all or nothing: in one immediate
   * transaction, so concurrent requests (even from other processes) can never
   * be granted more than `limit` together. With `jobId` (a test run's read) the
   * same transaction lists the charge as that run's and adds the records to its
   * `records_read`, so a re-run can undo exactly this (`undoJobAttempt`).
   */
  recordUsage(
    clientKey: string,
    day: string,
    records: number,
    limit: number,
    jobId: string | null = null
  ): UsageGrant {
    if (!Number.isInteger(records) || records < 0) {
      throw new RangeError(
        `records must be a non-negative integer, not ${records}`
      );
    }
    const grant = this.recordUsageTx.immediate(
      clientKey,
      day,
      records,
      limit,
      jobId
    );
    if (grant.granted && records > 0) {
      this.onUsage?.(clientKey, day, grant.used);
    }
    return grant;
  }

  /** A client's Research API use on a UTC day in a bucket (zeros when none). */
  researchUsedOn(
    clientKey: string,
    day: string,
    bucket: ResearchBucket
  ): ResearchUsage {
    const row = this.statement(
      'SELECT requests, records FROM research_usage WHERE client_key = ? AND day = ? AND bucket = ?'
    ).get(clientKey, day, bucket) as ResearchUsage | undefined;
    return row ?? { requests: 0, records: 0 };
  }

  /**
   * Add `charge` to a client's Research API use of a day in a bucket when
   * `fits(used)` allows it, all or nothing, in one immediate transaction (as
   * `recordUsage`: concurrent requests, even from other processes, never pass
   * the limit together). `fits` decides (src/research/quota.ts); the store only
   * keeps the count. Returns whether it was granted and the use after it.
   */
  recordResearchUsage(
    clientKey: string,
    day: string,
    bucket: ResearchBucket,
    charge: ResearchUsage,
    fits: (used: ResearchUsage) => boolean
  ): { granted: boolean; used: ResearchUsage } {
    for (const count of [charge.requests, charge.records]) {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(
          `a research charge must be non-negative integers, not ${count}`
        );
      }
    }
    return this.immediate(() => {
      const used = this.researchUsedOn(clientKey, day, bucket);
      if (!fits(used)) {
        return { granted: false, used };
      }
      const after = {
        requests: used.requests + charge.requests,
        records: used.records + charge.records
      };
      this.statement(
        `INSERT INTO research_usage (client_key, day, bucket, requests, records) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(client_key, day, bucket) DO UPDATE SET requests = excluded.requests, records = excluded.records`
      ).run(clientKey, day, bucket, after.requests, after.records);
      return { granted: true, used: after };
    });
  }

  /**
   * Undo what a job's earlier attempts read, before it runs again or ends
   * without running (a crash or a stop cut them short; nothing they read was
   * kept): their quota charges are refunded and its `records_read` is 0, in one
   * transaction. Returns the records refunded.
   */
  undoJobAttempt(jobId: string): number {
    const refunds = this.db
      .transaction(() => {
        const rows = this.statement(
          `SELECT client_key, day, sum(records) AS records FROM job_charges
           WHERE job_id = ? GROUP BY client_key, day`
        ).all(jobId) as { client_key: string; day: string; records: number }[];
        const refunded = rows.map(row => {
          this.statement(
            `UPDATE quota_usage SET used = max(0, used - ?) WHERE client_key = ? AND day = ?`
          ).run(row.records, row.client_key, row.day);
          return {
            clientKey: row.client_key,
            day: row.day,
            records: row.records,
            used: this.usedOn(row.client_key, row.day)
          };
        });
        this.statement('DELETE FROM job_charges WHERE job_id = ?').run(jobId);
        this.statement('UPDATE jobs SET records_read = 0 WHERE job_id = ?').run(
          jobId
        );
        return refunded;
      })
      .immediate();
    for (const refund of refunds) {
      if (refund.records > 0) {
        this.onUsage?.(refund.clientKey, refund.day, refund.used);
      }
    }
    return refunds.reduce((sum, refund) => sum + refund.records, 0);
  }

  audit(at: Date, clientKey: string | null, action: string, detail = ''): void {
    this.statement(
      'INSERT INTO audit (at, client_key, action, detail) VALUES (?, ?, ?, ?)'
    ).run(at.toISOString(), clientKey, action, detail);
  }

  auditTrail(clientKey: string): { action: string; detail: string }[] {
    return this.statement(
      'SELECT action, detail FROM audit WHERE client_key = ? ORDER BY id'
    ).all(clientKey) as { action: string; detail: string }[];
  }

  /** The open database, for the stores of other parts (jobs) that share this file. */
  get database(): Database.Database {
    return this.db;
  }

  /** Called after every granted quota charge (the event stream listens). */
  onUsage: ((clientKey: string, day: string, used: number) => void) | null =
    null;

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
    (
      clientKey: string,
      day: string,
      records: number,
      limit: number,
      jobId: string | null
    ) => UsageGrant
  >;
}
