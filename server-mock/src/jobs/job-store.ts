import type Database from 'better-sqlite3';
import type { PreviousTable, TableFingerprint } from '../review';
import {
  canMove,
  type HistoryEntry,
  type ErrorReport,
  type JobFailure,
  type JobRecord,
  type JobStage,
  type JobStatus,
  type JobVerdict,
  type OutputFile,
  type SubmittedFile
} from './model';

/** A release: the expiring link's digest and the archive it serves. */
export interface ReleaseRecord {
  jobId: string;
  tokenDigest: string;
  createdAt: string;
  expiresAt: string;
  archive: string;
  archiveSha256: string;
  archiveBytes: number;
  downloads: number;
}

export interface MailRecord {
  id: number;
  jobId: string;
  kind: 'approved' | 'rejected';
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
  sentAt: string | null;
  transport: string | null;
  messageId: string | null;
  file: string | null;
}

type Row = Record<string, unknown>;

const parse = <T>(text: unknown): T | null =>
  typeof text === 'string' ? (JSON.parse(text) as T) : null;

function toJob(row: Row): JobRecord {
  return {
    jobId: row.job_id as string,
    clientKey: row.client_key as string,
    stage: ((row.stage as string | undefined) ?? 'execution') as JobStage,
    entry: row.entry as string,
    status: row.status as JobStatus,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    startedAt: (row.started_at as string | null) ?? null,
    finishedAt: (row.finished_at as string | null) ?? null,
    attempts: row.attempts as number,
    recordsRead: row.records_read as number,
    resubmittedFrom: (row.resubmitted_from as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    failure: parse<JobFailure>(row.failure),
    errorReport: parse<ErrorReport>(row.error_report),
    verdict: parse<JobVerdict>(row.verdict)
  };
}

function toRelease(row: Row): ReleaseRecord {
  return {
    jobId: row.job_id as string,
    tokenDigest: row.token_digest as string,
    createdAt: row.created_at as string,
    expiresAt: row.expires_at as string,
    archive: row.archive as string,
    archiveSha256: row.archive_sha256 as string,
    archiveBytes: row.archive_bytes as number,
    downloads: row.downloads as number
  };
}

function toMail(row: Row): MailRecord {
  return {
    id: row.id as number,
    jobId: row.job_id as string,
    kind: row.kind as MailRecord['kind'],
    recipient: row.recipient as string,
    subject: row.subject as string,
    body: row.body as string,
    createdAt: row.created_at as string,
    sentAt: (row.sent_at as string | null) ?? null,
    transport: (row.transport as string | null) ?? null,
    messageId: (row.message_id as string | null) ?? null,
    file: (row.file as string | null) ?? null
  };
}

/** What a status change may set beside the status. */
export interface JobChange {
  startedAt?: string;
  finishedAt?: string;
  reason?: string | null;
  failure?: JobFailure | null;
  errorReport?: ErrorReport | null;
  verdict?: JobVerdict | null;
  attempts?: number;
  note?: string;
}

/**
 * Jobs in the platform's SQLite file (the Store's migrations create the
 * tables): every status change is one transaction with its history row, and
 * only moves the job model allows are made.
 */
export class JobStore {
  constructor(private readonly db: Database.Database) {}

  /** A new job with its files, already `submitted` (one transaction). */
  create(
    job: {
      jobId: string;
      clientKey: string;
      entry: string;
      resubmittedFrom: string | null;
      files: SubmittedFile[];
      stage?: JobStage;
    },
    at: string
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO jobs (job_id, client_key, entry, status, created_at, updated_at, resubmitted_from, stage)
           VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?)`
        )
        .run(
          job.jobId,
          job.clientKey,
          job.entry,
          at,
          at,
          job.resubmittedFrom,
          job.stage ?? 'execution'
        );
      const file = this.db.prepare(
        'INSERT INTO job_files (job_id, name, bytes, sha256) VALUES (?, ?, ?, ?)'
      );
      for (const entry of job.files) {
        file.run(job.jobId, entry.name, entry.bytes, entry.sha256);
      }
      this.db
        .prepare(
          `INSERT INTO job_history (job_id, status, at, note) VALUES (?, 'submitted', ?, '')`
        )
        .run(job.jobId, at);
    })();
  }

  get(jobId: string, clientKey?: string): JobRecord | null {
    const row = this.db
      .prepare('SELECT * FROM jobs WHERE job_id = ?')
      .get(jobId) as Row | undefined;
    if (!row || (clientKey !== undefined && row.client_key !== clientKey)) {
      return null;
    }
    return toJob(row);
  }

  /**
   * Move a job to `to` if its current status allows it (and is one of `from`,
   * when given); false when it did not move (someone else moved it first).
   */
  move(
    jobId: string,
    to: JobStatus,
    at: string,
    change: JobChange = {},
    from?: readonly JobStatus[]
  ): boolean {
    return this.db.transaction(() => {
      const current = this.db
        .prepare('SELECT status FROM jobs WHERE job_id = ?')
        .pluck()
        .get(jobId) as JobStatus | undefined;
      if (
        !current ||
        !canMove(current, to) ||
        (from && !from.includes(current))
      ) {
        return false;
      }
      this.db
        .prepare(
          `UPDATE jobs SET status = ?, updated_at = ?,
             started_at = CASE WHEN ? IS NULL THEN started_at ELSE ? END,
             finished_at = CASE WHEN ? IS NULL THEN finished_at ELSE ? END,
             reason = CASE WHEN ? THEN ? ELSE reason END,
             failure = CASE WHEN ? THEN ? ELSE failure END,
             error_report = CASE WHEN ? THEN ? ELSE error_report END,
             verdict = CASE WHEN ? THEN ? ELSE verdict END,
             attempts = coalesce(?, attempts)
           WHERE job_id = ?`
        )
        .run(
          to,
          at,
          change.startedAt ?? null,
          change.startedAt ?? null,
          change.finishedAt ?? null,
          change.finishedAt ?? null,
          change.reason !== undefined ? 1 : 0,
          change.reason ?? null,
          change.failure !== undefined ? 1 : 0,
          change.failure ? JSON.stringify(change.failure) : null,
          change.errorReport !== undefined ? 1 : 0,
          change.errorReport ? JSON.stringify(change.errorReport) : null,
          change.verdict !== undefined ? 1 : 0,
          change.verdict ? JSON.stringify(change.verdict) : null,
          change.attempts ?? null,
          jobId
        );
      this.db
        .prepare(
          'INSERT INTO job_history (job_id, status, at, note) VALUES (?, ?, ?, ?)'
        )
        .run(jobId, to, at, change.note ?? '');
      return true;
    })();
  }

  /** Set the verdict without a move (manual review pending: the job stays `reviewing`). */
  setVerdict(
    jobId: string,
    verdict: JobVerdict,
    at: string,
    note: string
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE jobs SET verdict = ?, updated_at = ? WHERE job_id = ?')
        .run(JSON.stringify(verdict), at, jobId);
      this.db
        .prepare(
          `INSERT INTO job_history (job_id, status, at, note) VALUES (?, 'reviewing', ?, ?)`
        )
        .run(jobId, at, note);
    })();
  }

  /**
   * Take the oldest queued job for a run: `queued` → `running` with the
   * attempt counted, atomically (no two workers get the same job).
   */
  claimNext(at: string): JobRecord | null {
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare(
            `SELECT job_id FROM jobs WHERE status = 'queued' ORDER BY created_at, job_id LIMIT 1`
          )
          .get() as { job_id: string } | undefined;
        if (!row) {
          return null;
        }
        const attempts =
          (this.db
            .prepare('SELECT attempts FROM jobs WHERE job_id = ?')
            .pluck()
            .get(row.job_id) as number) + 1;
        this.move(row.job_id, 'running', at, {
          startedAt: at,
          attempts,
          note: attempts > 1 ? `attempt ${attempts}` : ''
        });
        return this.get(row.job_id);
      })
      .immediate();
  }

  /**
   * Count the records a data answer carried to an execution job. A test run's
   * records are counted with their charge, in its transaction (Store.recordUsage).
   */
  addRecordsRead(jobId: string, records: number): void {
    this.db
      .prepare(
        "UPDATE jobs SET records_read = records_read + ? WHERE job_id = ? AND stage <> 'test'"
      )
      .run(records, jobId);
  }

  files(jobId: string): SubmittedFile[] {
    return this.db
      .prepare(
        'SELECT name, bytes, sha256 FROM job_files WHERE job_id = ? ORDER BY name'
      )
      .all(jobId) as SubmittedFile[];
  }

  history(jobId: string): HistoryEntry[] {
    return this.db
      .prepare(
        'SELECT status, at, note FROM job_history WHERE job_id = ? ORDER BY id'
      )
      .all(jobId) as HistoryEntry[];
  }

  setOutputs(jobId: string, outputs: OutputFile[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM job_outputs WHERE job_id = ?').run(jobId);
      const insert = this.db.prepare(
        'INSERT INTO job_outputs (job_id, name, bytes, sha256, kind) VALUES (?, ?, ?, ?, ?)'
      );
      for (const output of outputs) {
        insert.run(
          jobId,
          output.name,
          output.bytes,
          output.sha256,
          output.kind
        );
      }
    })();
  }

  outputs(jobId: string): OutputFile[] {
    return this.db
      .prepare(
        'SELECT name, bytes, sha256, kind FROM job_outputs WHERE job_id = ? ORDER BY name'
      )
      .all(jobId) as OutputFile[];
  }

  /**
   * A client's jobs, newest first, optionally of some statuses, after a
   * (created_at, job_id) position; one more than `limit` tells if more remain.
   */
  list(
    clientKey: string | null,
    options: {
      statuses?: JobStatus[];
      stage?: JobStage;
      before?: { createdAt: string; jobId: string };
      limit: number;
    }
  ): JobRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.stage) {
      where.push('stage = ?');
      params.push(options.stage);
    }
    if (clientKey !== null) {
      where.push('client_key = ?');
      params.push(clientKey);
    }
    if (options.statuses && options.statuses.length > 0) {
      where.push('status IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(options.statuses));
    }
    if (options.before) {
      where.push('(created_at < ? OR (created_at = ? AND job_id < ?))');
      params.push(
        options.before.createdAt,
        options.before.createdAt,
        options.before.jobId
      );
    }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, job_id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, options.limit) as Row[]).map(
      toJob
    );
  }

  /** Jobs in any of `statuses` (recovery after a restart; the queue). */
  withStatus(statuses: readonly JobStatus[]): JobRecord[] {
    return (
      this.db
        .prepare(
          'SELECT * FROM jobs WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created_at, job_id'
        )
        .all(JSON.stringify(statuses)) as Row[]
    ).map(toJob);
  }

  /** Manual review pending: `reviewing` jobs whose verdict says so. */
  pendingManualReview(): JobRecord[] {
    return this.withStatus(['reviewing']).filter(
      job => job.verdict?.decision === 'manual_review'
    );
  }

  /** The release of a job; inserting twice is refused by the table (one release per job). */
  createRelease(release: Omit<ReleaseRecord, 'downloads'>): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO releases (job_id, token_digest, created_at, expires_at, archive, archive_sha256, archive_bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        release.jobId,
        release.tokenDigest,
        release.createdAt,
        release.expiresAt,
        release.archive,
        release.archiveSha256,
        release.archiveBytes
      );
    return result.changes === 1;
  }

  releaseOf(jobId: string): ReleaseRecord | null {
    const row = this.db
      .prepare('SELECT * FROM releases WHERE job_id = ?')
      .get(jobId) as Row | undefined;
    return row ? toRelease(row) : null;
  }

  releaseByDigest(digest: string): ReleaseRecord | null {
    const row = this.db
      .prepare('SELECT * FROM releases WHERE token_digest = ?')
      .get(digest) as Row | undefined;
    return row ? toRelease(row) : null;
  }

  countDownload(jobId: string): void {
    this.db
      .prepare('UPDATE releases SET downloads = downloads + 1 WHERE job_id = ?')
      .run(jobId);
  }

  /** Queue a mail once per (job, kind); false if it was already queued. */
  queueMail(
    mail: Omit<MailRecord, 'id' | 'sentAt' | 'transport' | 'messageId' | 'file'>
  ): boolean {
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO mail (job_id, kind, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)'
      )
      .run(
        mail.jobId,
        mail.kind,
        mail.recipient,
        mail.subject,
        mail.body,
        mail.createdAt
      );
    return result.changes === 1;
  }

  unsentMail(): MailRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM mail WHERE sent_at IS NULL ORDER BY id')
        .all() as Row[]
    ).map(toMail);
  }

  markMailSent(
    id: number,
    sent: {
      at: string;
      transport: string;
      messageId: string | null;
      file: string | null;
    }
  ): void {
    this.db
      .prepare(
        'UPDATE mail SET sent_at = ?, transport = ?, message_id = ?, file = ? WHERE id = ?'
      )
      .run(sent.at, sent.transport, sent.messageId, sent.file, id);
  }

  mailOf(clientKey: string | null): MailRecord[] {
    const sql =
      clientKey === null
        ? 'SELECT mail.* FROM mail ORDER BY mail.id DESC'
        : 'SELECT mail.* FROM mail JOIN jobs USING (job_id) WHERE jobs.client_key = ? ORDER BY mail.id DESC';
    return (
      (clientKey === null
        ? this.db.prepare(sql).all()
        : this.db.prepare(sql).all(clientKey)) as Row[]
    ).map(toMail);
  }

  /** Keep the fingerprints of a job's tables (replacing any of an earlier review of it), for differencing. */
  saveTables(
    jobId: string,
    clientKey: string,
    tables: readonly TableFingerprint[]
  ): void {
    const remove = this.db.prepare('DELETE FROM job_tables WHERE job_id = ?');
    const insert = this.db.prepare(
      'INSERT INTO job_tables (job_id, client_key, structure, file, place, cells) VALUES (?, ?, ?, ?, ?, ?)'
    );
    this.db.transaction(() => {
      remove.run(jobId);
      for (const table of tables) {
        insert.run(
          jobId,
          clientKey,
          table.structure,
          table.file,
          table.at,
          JSON.stringify(table.cells)
        );
      }
    })();
  }

  /**
   * The client's tables of these structures from its execution jobs that were
   * released or wait for a reviewer (a rejected job released nothing), other
   * than `exceptJobId`.
   */
  tablesLike(
    clientKey: string,
    structures: readonly string[],
    exceptJobId: string
  ): PreviousTable[] {
    if (!structures.length) {
      return [];
    }
    const rows = this.db
      .prepare(
        `SELECT t.job_id, t.structure, t.file, t.place, t.cells, j.status
           FROM job_tables t JOIN jobs j ON j.job_id = t.job_id
          WHERE t.client_key = ? AND t.structure IN (${structures.map(() => '?').join(', ')})
            AND t.job_id <> ? AND j.stage = 'execution' AND j.status IN ('approved', 'reviewing')
          ORDER BY t.id`
      )
      .all(clientKey, ...structures, exceptJobId) as Row[];
    return rows.map(row => ({
      jobId: row.job_id as string,
      released: row.status === 'approved',
      structure: row.structure as string,
      file: row.file as string,
      at: row.place as string,
      cells: JSON.parse(row.cells as string) as (number | null)[][]
    }));
  }

  saveAttestation(jobId: string, jws: string, at: string): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO attestations (job_id, jws, created_at) VALUES (?, ?, ?)'
      )
      .run(jobId, jws, at);
  }

  attestation(jobId: string): string | null {
    return (
      (this.db
        .prepare('SELECT jws FROM attestations WHERE job_id = ?')
        .pluck()
        .get(jobId) as string | undefined) ?? null
    );
  }
}
