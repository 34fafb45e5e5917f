/** The schema, one step a version; `PRAGMA user_version` says how many steps a file has. */
export const MIGRATIONS: readonly string[] = [
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
   );`,
  // Test stage: a token's scope: research.vce (a researcher's) or
  // research.vce.job (an execution-stage job's, all matches, paged, not charged).
  `ALTER TABLE tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'research.vce';`,
  `CREATE TABLE query_tasks (
     task_id       TEXT PRIMARY KEY,
     client_key    TEXT NOT NULL REFERENCES clients(client_key) ON DELETE CASCADE,
     stage         TEXT NOT NULL CHECK (stage IN ('test', 'job')),
     request       TEXT NOT NULL,
     status        TEXT NOT NULL,
     created_at    TEXT NOT NULL,
     updated_at    TEXT NOT NULL,
     count         INTEGER,
     error_code    TEXT,
     error_message TEXT,
     result_ids    TEXT
   );
   CREATE INDEX query_tasks_client ON query_tasks(client_key, created_at);`,
  // Execution stage: jobs, their files, history, outputs, releases, mail, attestations.
  `CREATE TABLE jobs (
     job_id          TEXT PRIMARY KEY,
     client_key      TEXT NOT NULL REFERENCES clients(client_key) ON DELETE CASCADE,
     entry           TEXT NOT NULL,
     status          TEXT NOT NULL,
     created_at      TEXT NOT NULL,
     updated_at      TEXT NOT NULL,
     started_at      TEXT,
     finished_at     TEXT,
     attempts        INTEGER NOT NULL DEFAULT 0,
     records_read    INTEGER NOT NULL DEFAULT 0,
     resubmitted_from TEXT,
     reason          TEXT,
     failure         TEXT,
     verdict         TEXT,
     runtime         TEXT,
     reviewer_key    TEXT,
     review_reason   TEXT
   );
   CREATE INDEX jobs_client ON jobs(client_key, created_at);
   CREATE INDEX jobs_status ON jobs(status, created_at);
   CREATE TABLE job_files (
     job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
     name   TEXT NOT NULL,
     bytes  INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     PRIMARY KEY (job_id, name)
   );
   CREATE TABLE job_history (
     id     INTEGER PRIMARY KEY,
     job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
     status TEXT NOT NULL,
     at     TEXT NOT NULL,
     note   TEXT NOT NULL DEFAULT ''
   );
   CREATE INDEX job_history_job ON job_history(job_id, id);
   CREATE TABLE job_outputs (
     job_id TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
     name   TEXT NOT NULL,
     bytes  INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     kind   TEXT NOT NULL,
     PRIMARY KEY (job_id, name)
   );
   CREATE TABLE releases (
     job_id       TEXT PRIMARY KEY REFERENCES jobs(job_id) ON DELETE CASCADE,
     token_digest TEXT NOT NULL UNIQUE,
     created_at   TEXT NOT NULL,
     expires_at   TEXT NOT NULL,
     archive      TEXT NOT NULL,
     archive_sha256 TEXT NOT NULL,
     archive_bytes INTEGER NOT NULL,
     downloads    INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE mail (
     id         INTEGER PRIMARY KEY,
     job_id     TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
     kind       TEXT NOT NULL,
     recipient  TEXT NOT NULL,
     subject    TEXT NOT NULL,
     body       TEXT NOT NULL,
     created_at TEXT NOT NULL,
     sent_at    TEXT,
     transport  TEXT,
     message_id TEXT,
     file       TEXT,
     UNIQUE (job_id, kind)
   );
   CREATE TABLE attestations (
     job_id TEXT PRIMARY KEY REFERENCES jobs(job_id) ON DELETE CASCADE,
     jws    TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   ALTER TABLE tokens ADD COLUMN job_id TEXT;`,
  // Test runs: a job's stage: a real submission over all data, or a
  // rehearsal on the test-stage sample whose verdict is shown and never released.
  `ALTER TABLE jobs ADD COLUMN stage TEXT NOT NULL DEFAULT 'execution';`,
  // Review fix: a task belongs to the token that created it (a job's task is that job's alone).
  `ALTER TABLE query_tasks ADD COLUMN job_id TEXT;`,
  // A team's clients file is the whole team: a client taken out of it is removed
  // (Store.removeClientsExcept). The row stays, marked, because jobs (and with
  // them their files, outputs, releases, mail, attestations) reference it
  // ON DELETE CASCADE and are kept for audit.
  `ALTER TABLE clients ADD COLUMN removed_at TEXT;`,
  // Differencing across a researcher's jobs (src/review/differencing.ts): a
  // fingerprint of each table an execution job wrote (a hash of its header
  // and groups, its counts), compared with the client's later tables.
  `CREATE TABLE job_tables (
     id         INTEGER PRIMARY KEY,
     job_id     TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
     client_key TEXT NOT NULL,
     structure  TEXT NOT NULL,
     file       TEXT NOT NULL,
     place      TEXT NOT NULL,
     cells      TEXT NOT NULL
   );
   CREATE INDEX job_tables_client ON job_tables(client_key, structure);
   CREATE INDEX job_tables_job ON job_tables(job_id);`,
  // A failed job's error beyond its type and line: the exception's message and
  // stderr's last lines, as the output review let them through (src/jobs/error-report.ts).
  `ALTER TABLE jobs ADD COLUMN error_report TEXT;`,
  // Exactly-once charges (issue 18): every quota charge a test run's attempt made
  // (its queries and its query tasks), so that a re-run after a crash or a stop
  // first undoes them (Store.undoJobAttempt): the quota is the records
  // delivered and kept. A researcher's own charges are final and not listed.
  `CREATE TABLE job_charges (
     id         INTEGER PRIMARY KEY,
     job_id     TEXT NOT NULL,
     client_key TEXT NOT NULL,
     day        TEXT NOT NULL,
     records    INTEGER NOT NULL CHECK (records >= 0)
   );
   CREATE INDEX job_charges_job ON job_charges(job_id);`,
  // The public Research API's own daily quota (issue 20, src/research/quota.ts), apart
  // from the test stage's quota_usage: requests and records a client a UTC day, per
  // bucket (research: video, comment and user APIs; follow: followers and following).
  `CREATE TABLE research_usage (
     client_key TEXT NOT NULL REFERENCES clients(client_key) ON DELETE CASCADE,
     day        TEXT NOT NULL,
     bucket     TEXT NOT NULL CHECK (bucket IN ('research', 'follow')),
     requests   INTEGER NOT NULL DEFAULT 0 CHECK (requests >= 0),
     records    INTEGER NOT NULL DEFAULT 0 CHECK (records >= 0),
     PRIMARY KEY (client_key, day, bucket)
   );`
];
