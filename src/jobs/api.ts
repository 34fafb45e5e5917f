import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { API_NAMESPACE, errorFromResponse, requestAPI } from '../api/request';
import type {
  IJwks,
  ISavedResults,
  Job,
  JobAttestation,
  JobFile,
  JobPage,
  JobSubmission,
  Outbox
} from './types';

interface IEnvelope<T> {
  data: T;
}

export interface IListOptions {
  statuses?: readonly string[];
  pageSize?: number;
  cursor?: string | null;
}

/** What the jobs model and widgets need of the server: a method per route. */
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

/** The jobs routes of the jupyterlab_vce server extension (`/vce/api/jobs...`). */
export class JobsApi implements IJobsApi {
  constructor(
    private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

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
    return this._data<Job>('jobs', { method: 'POST', body: JSON.stringify(submission) });
  }

  testRun(submission: JobSubmission): Promise<Job> {
    return this._data<Job>('test-runs', { method: 'POST', body: JSON.stringify(submission) });
  }

  cancel(jobId: string): Promise<Job> {
    return this._data<Job>(`jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'POST', body: '{}' });
  }

  resubmit(jobId: string): Promise<Job> {
    return this._data<Job>(`jobs/${encodeURIComponent(jobId)}/resubmit`, { method: 'POST', body: '{}' });
  }

  file(jobId: string, name?: string): Promise<JobFile> {
    const search = name ? URLExt.objectToQueryString({ name }) : '';
    return this._data<JobFile>(`jobs/${encodeURIComponent(jobId)}/files${search}`);
  }

  attestation(jobId: string): Promise<JobAttestation> {
    return this._data<JobAttestation>(`jobs/${encodeURIComponent(jobId)}/attestation`);
  }

  jwks(): Promise<IJwks> {
    return requestAPI<IJwks>('jwks', {}, this._settings);
  }

  outbox(): Promise<Outbox> {
    return this._data<Outbox>('outbox');
  }

  saveResults(jobId: string, folder: string): Promise<ISavedResults> {
    return this._data<ISavedResults>(`jobs/${encodeURIComponent(jobId)}/result/save`, {
      method: 'POST',
      body: JSON.stringify({ folder })
    });
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

  private async _data<T>(endPoint: string, init: RequestInit = {}): Promise<T> {
    const body = await requestAPI<IEnvelope<T>>(endPoint, init, this._settings);
    return body.data;
  }
}
