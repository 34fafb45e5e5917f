import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { API_NAMESPACE, errorFromResponse, requestAPI } from './request';
import type {
  DecidedReview,
  ICredentials,
  ILocalClientSecret,
  IJwks,
  ISavedResults,
  ISavedReviewOutput,
  IVCEStatus,
  Job,
  JobAttestation,
  JobFile,
  JobPage,
  JobSubmission,
  Outbox,
  QueryRequest,
  QueryResult,
  ReviewDecision,
  ReviewItem,
  ReviewOutput
} from './types';

/** The platform's answers come wrapped: `{data: ...}` (the server extension forwards them). */
interface IEnvelope<T> {
  data: T;
}

export interface IListOptions {
  statuses?: readonly string[];
  pageSize?: number;
  cursor?: string | null;
}

/** What the jobs model and the panel's actions need of the server (replaced by a fake in tests). */
export interface IJobsApi {
  list(options?: IListOptions): Promise<JobPage>;
  get(jobId: string): Promise<Job>;
  submit(submission: JobSubmission): Promise<Job>;
  testRun(submission: JobSubmission): Promise<Job>;
  cancel(jobId: string): Promise<Job>;
  resubmit(jobId: string): Promise<Job>;
  file(jobId: string, name?: string): Promise<JobFile>;
  attestation(jobId: string): Promise<JobAttestation>;
  jwks(): Promise<IJwks>;
  outbox(): Promise<Outbox>;
  saveResults(jobId: string, folder: string): Promise<ISavedResults>;
  downloadResults(jobId: string): Promise<Blob>;
}

/** What the review queue needs of the server (replaced by a fake in tests). */
export interface IReviewApi {
  reviewQueue(): Promise<ReviewItem[]>;
  decideReview(jobId: string, decision: ReviewDecision): Promise<DecidedReview>;
  reviewOutputs(jobId: string): Promise<ReviewOutput[]>;
  saveReviewOutput(jobId: string, name: string): Promise<ISavedReviewOutput>;
}

/**
 * The one typed client for the jupyterlab_vce server extension: a method per
 * route, over `requestAPI` (./request.ts). The browser never sees the client
 * secret after sign-in and never talks to the platform directly.
 */
export class VCEClient implements IJobsApi, IReviewApi {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  // Connection: `/vce/api/status`, `/vce/api/session`.

  /** Connection, sign-in state, identity and quota in one call. */
  getStatus(): Promise<IVCEStatus> {
    return requestAPI<IVCEStatus>('status', {}, this._settings);
  }

  /** Give the server the credentials once; it verifies them with the platform. */
  signIn(credentials: ICredentials): Promise<IVCEStatus> {
    return requestAPI<IVCEStatus>(
      'session',
      { method: 'POST', body: JSON.stringify(credentials) },
      this._settings
    );
  }

  /** Make the server forget the credentials and the token. */
  signOut(): Promise<IVCEStatus> {
    return requestAPI<IVCEStatus>(
      'session',
      { method: 'DELETE' },
      this._settings
    );
  }

  /**
   * The embedded stand-in's generated client secret, on request (Reveal, Copy).
   * The one exception to "the secret never reaches the browser": the server
   * answers it only for its own local stand-in, 404 otherwise.
   */
  localClientSecret(): Promise<ILocalClientSecret> {
    return requestAPI<ILocalClientSecret>(
      'local-client/secret',
      {},
      this._settings
    );
  }

  // Query builder: `/vce/api/query`.

  /** A test-stage sample of a query (charged to the daily quota). */
  previewQuery(body: QueryRequest): Promise<QueryResult> {
    return this._data<QueryResult>('query', {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  // Data Clean Room: `/vce/api/jobs...`, `/vce/api/test-runs`, `/vce/api/jwks`, `/vce/api/outbox`.

  async list(options: IListOptions = {}): Promise<JobPage> {
    const query: Record<string, string> = {};
    if (options.statuses && options.statuses.length > 0) {
      query.status = options.statuses.join(',');
    }
    if (options.pageSize) {
      query.page_size = String(options.pageSize);
    }
    if (options.cursor) {
      query.cursor = options.cursor;
    }
    const search = URLExt.objectToQueryString(query);
    return this._data<JobPage>(`jobs${search}`);
  }

  get(jobId: string): Promise<Job> {
    return this._data<Job>(`jobs/${encodeURIComponent(jobId)}`);
  }

  submit(submission: JobSubmission): Promise<Job> {
    return this._data<Job>('jobs', {
      method: 'POST',
      body: JSON.stringify(submission)
    });
  }

  testRun(submission: JobSubmission): Promise<Job> {
    return this._data<Job>('test-runs', {
      method: 'POST',
      body: JSON.stringify(submission)
    });
  }

  cancel(jobId: string): Promise<Job> {
    return this._data<Job>(`jobs/${encodeURIComponent(jobId)}/cancel`, {
      method: 'POST',
      body: '{}'
    });
  }

  resubmit(jobId: string): Promise<Job> {
    return this._data<Job>(`jobs/${encodeURIComponent(jobId)}/resubmit`, {
      method: 'POST',
      body: '{}'
    });
  }

  file(jobId: string, name?: string): Promise<JobFile> {
    const search = name ? URLExt.objectToQueryString({ name }) : '';
    return this._data<JobFile>(
      `jobs/${encodeURIComponent(jobId)}/files${search}`
    );
  }

  attestation(jobId: string): Promise<JobAttestation> {
    return this._data<JobAttestation>(
      `jobs/${encodeURIComponent(jobId)}/attestation`
    );
  }

  jwks(): Promise<IJwks> {
    return requestAPI<IJwks>('jwks', {}, this._settings);
  }

  outbox(): Promise<Outbox> {
    return this._data<Outbox>('outbox');
  }

  saveResults(jobId: string, folder: string): Promise<ISavedResults> {
    return this._data<ISavedResults>(
      `jobs/${encodeURIComponent(jobId)}/result/save`,
      {
        method: 'POST',
        body: JSON.stringify({ folder })
      }
    );
  }

  async downloadResults(jobId: string): Promise<Blob> {
    const url = URLExt.join(
      this._settings.baseUrl,
      API_NAMESPACE,
      'jobs',
      encodeURIComponent(jobId),
      'result'
    );
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, {}, this._settings);
    } catch (error) {
      throw new ServerConnection.NetworkError(error as TypeError);
    }
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return response.blob();
  }

  // Reviewers: `/vce/api/review/jobs...`.

  /** The jobs the automatic review sent to a person, oldest first. */
  async reviewQueue(): Promise<ReviewItem[]> {
    const page = await this._data<{ jobs: ReviewItem[] }>('review/jobs');
    return page.jobs;
  }

  /** Approve or reject a job in manual review, with the reason the researcher reads. */
  decideReview(
    jobId: string,
    decision: ReviewDecision
  ): Promise<DecidedReview> {
    return this._data<DecidedReview>(
      `review/jobs/${encodeURIComponent(jobId)}/decision`,
      { method: 'POST', body: JSON.stringify(decision) }
    );
  }

  /** The files the review read of a job in manual review (outputs and logs), with its findings. */
  async reviewOutputs(jobId: string): Promise<ReviewOutput[]> {
    const listed = await this._data<{ outputs: ReviewOutput[] }>(
      `review/jobs/${encodeURIComponent(jobId)}/outputs`
    );
    return listed.outputs;
  }

  /**
   * Save one output into the workspace (`vce-review/<job_id>/<name>`) to open it;
   * the name is one path segment (`logs/stdout.txt` → `logs%2Fstdout.txt`).
   */
  saveReviewOutput(jobId: string, name: string): Promise<ISavedReviewOutput> {
    return this._data<ISavedReviewOutput>(
      `review/jobs/${encodeURIComponent(jobId)}/outputs/${encodeURIComponent(name)}`,
      { method: 'POST' }
    );
  }

  // Events: `/vce/api/events`.

  /** Open the platform's event stream (server-sent events), resuming after `lastEventId`. */
  openEvents(signal: AbortSignal, lastEventId: string): Promise<Response> {
    return ServerConnection.makeRequest(
      URLExt.join(this._settings.baseUrl, API_NAMESPACE, 'events'),
      {
        signal,
        headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {},
        cache: 'no-store'
      },
      this._settings
    );
  }

  private async _data<T>(endPoint: string, init: RequestInit = {}): Promise<T> {
    const body = await requestAPI<IEnvelope<T>>(endPoint, init, this._settings);
    return body.data;
  }
}
