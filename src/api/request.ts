import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** The error envelope every VCE route answers with (docs/contracts.md). */
export interface IErrorEnvelope {
  error: { code: string; message: string; log_id?: string };
}

/**
 * An error answered by the jupyterlab_vce server extension (or the platform
 * behind it), carrying the envelope's machine-readable code and the message
 * a researcher can act on.
 */
export class VCEApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly logId?: string
  ) {
    super(message);
    this.name = 'VCEApiError';
  }
}

/** Base path of the server extension's routes. */
export const API_NAMESPACE = 'vce/api';

/**
 * Read an error envelope out of a failed response; fall back to a message
 * that names the status when the body is not ours (a proxy's HTML page, say).
 */
export async function errorFromResponse(
  response: Response
): Promise<VCEApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<IErrorEnvelope>;
    if (body.error && typeof body.error.message === 'string') {
      return new VCEApiError(
        response.status,
        body.error.code ?? 'unknown',
        body.error.message,
        body.error.log_id
      );
    }
  } catch {
    // not JSON: handled below
  }
  if (response.status === 404) {
    return new VCEApiError(
      404,
      'server_extension_missing',
      'The jupyterlab_vce server extension is not answering. Enable it with ' +
        '"jupyter server extension enable jupyterlab_vce" and restart JupyterLab.'
    );
  }
  return new VCEApiError(
    response.status,
    'unexpected_response',
    `The Jupyter server answered ${response.status} ${response.statusText}.`
  );
}

/**
 * Call a route of the jupyterlab_vce server extension.
 *
 * @param endPoint path below /vce/api/, e.g. "status"
 * @param init fetch options; a JSON body must already be a string
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, API_NAMESPACE, endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  if (!response.ok) {
    throw await errorFromResponse(response);
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}
