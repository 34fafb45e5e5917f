/**
 * Wire types of the server extension's routes. The platform's objects come
 * from the platform's OpenAPI document (server-mock/openapi.yaml), generated
 * into ./platform.d.ts by `npm run gen:api`: never copied by hand.
 */
import type { components, operations } from './platform';

type Schemas = components['schemas'];

/** Who the signed-in client is (`GET /v2/vce/me/`). */
export type Identity = Schemas['Identity'];

/** Records used of the daily test-stage quota (`GET /v2/vce/quota/`). */
export type Quota = Schemas['Quota'];

/** The body of the platform's `POST /v2/vce/query/` (and of `/vce/api/query`). */
export type QueryRequest = Schemas['QueryRequest'];
/** `POST /vce/api/query`: a test-stage sample, unwrapped from its envelope. */
export type QueryResult = Schemas['QueryEnvelope']['data'];

/** Jobs (`/vce/api/jobs...`, `/vce/api/test-runs`, `/vce/api/outbox`), unwrapped from their envelopes. */
export type Job = Schemas['Job'];
export type JobStatus = Schemas['JobStatus'];
export type JobVerdict = Schemas['JobVerdict'];
export type JobStage = Job['stage'];
export type JobErrorReport = Schemas['JobErrorReport'];
export type VerdictFinding = Schemas['VerdictFinding'];
export type JobSubmission = Schemas['JobSubmission'];
/** The most a submission may hold (the contract's `SubmissionLimits`). */
export type SubmissionLimits = Schemas['SubmissionLimits'];
export type JobFile = Schemas['JobFileEnvelope']['data'];
export type JobAttestation = Schemas['AttestationEnvelope']['data'];
export type JobPage = Schemas['JobListEnvelope']['data'];
export type Outbox = Schemas['OutboxEnvelope']['data'];
export type OutboxMail = Outbox['messages'][number];

/** Reviewers (`/vce/api/review/jobs...`): a job in manual review, with its client and verdict. */
export type ReviewItem = Schemas['ReviewListEnvelope']['data']['jobs'][number];
/** The body of a decision: approve or reject, and why (the researcher reads it). */
export type ReviewDecision =
  operations['decideReview']['requestBody']['content']['application/json'];
/** The decided job, unwrapped from its envelope. */
export type DecidedReview = Schemas['ReviewJobEnvelope']['data'];
/** A file the review read of a job in manual review: size, media type, the findings on it. */
export type ReviewOutput = Schemas['ReviewOutput'];
/** `POST /vce/api/review/jobs/{id}/outputs/{name}`: where the server saved one output. */
export interface ISavedReviewOutput {
  job_id: string;
  name: string;
  /** Relative to the server's root: `vce-review/<job_id>/<name>`. */
  path: string;
  bytes: number;
  sha256: string;
  media_type: string;
}

/** What the server extension knows about the platform connection. */
export type PlatformState =
  | 'connected'
  | 'unreachable'
  | 'not_signed_in'
  | 'rejected'
  | 'not_configured'
  | 'starting';

/** Where the server extension's credentials came from. */
export type CredentialsSource = 'environment' | 'sign_in' | 'embedded';

/** `GET /vce/api/status`: always answered with 200 by the server extension. */
export interface IVCEStatus {
  signed_in: boolean;
  credentials_source: CredentialsSource | null;
  platform_url: string | null;
  embedded: boolean;
  /** JupyterHub gave the server these credentials: its login page signs in and out. */
  hub_managed: boolean;
  platform: { state: PlatformState; message: string };
  identity: Identity | null;
  quota: Quota | null;
  checked_at: string;
  /**
   * The embedded stand-in's generated client: its key and the file its secret is
   * kept in (never the secret). Null for any other platform.
   */
  local_client?: ILocalClient | null;
}

/** The embedded platform's own client, as the status names it. */
export interface ILocalClient {
  client_key: string;
  /**
   * The 0600 file in the stand-in's data folder that holds its generated secret;
   * null when the secret was set in the server's environment (RQS_CLIENT_SECRET).
   */
  secret_file: string | null;
}

/**
 * `GET /vce/api/local-client/secret`: the embedded stand-in's generated secret,
 * asked for when the researcher presses Reveal or Copy. The ONE secret the
 * browser may see (docs/architecture.md); 404 for any other platform.
 */
export interface ILocalClientSecret extends ILocalClient {
  client_secret: string;
}

/** Body of `POST /vce/api/session`. */
export interface ICredentials {
  client_key: string;
  client_secret: string;
}

/** `POST /vce/api/jobs/{id}/result/save`: what was written into the workspace. */
export interface ISavedResults {
  job_id: string;
  folder: string;
  /** The first-choice folder's name when it was taken (an earlier download or any file; left as it is), else null. */
  already_there: string | null;
  archive_sha256: string;
  archive_bytes: number;
  files: { name: string; path: string; bytes: number; sha256: string }[];
}

/** `GET /vce/api/jwks`: the platform's public keys for attestations. */
export interface IJwks {
  keys: Array<
    Record<string, unknown> & { kid?: string; alg?: string; kty: string }
  >;
}
