import { errorFromResponse, VCEApiError } from '../../api/request';

function response(status: number, body: string, statusText = ''): Response {
  return new Response(body, { status, statusText });
}

describe('errorFromResponse', () => {
  it('reads the error envelope', async () => {
    const error = await errorFromResponse(
      response(
        401,
        JSON.stringify({
          error: {
            code: 'invalid_client',
            message: 'Client key or secret is incorrect.',
            log_id: 'L1'
          }
        })
      )
    );
    expect(error).toBeInstanceOf(VCEApiError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_client');
    expect(error.message).toBe('Client key or secret is incorrect.');
    expect(error.logId).toBe('L1');
  });

  it('explains a missing server extension', async () => {
    const error = await errorFromResponse(
      response(404, '<html>Not found</html>')
    );
    expect(error.code).toBe('server_extension_missing');
    expect(error.message).toMatch(
      /jupyter server extension enable jupyterlab_vce/
    );
  });

  it('names the status of anything else', async () => {
    const error = await errorFromResponse(
      response(502, 'Bad gateway', 'Bad Gateway')
    );
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toBe('The Jupyter server answered 502 Bad Gateway.');
  });
});
