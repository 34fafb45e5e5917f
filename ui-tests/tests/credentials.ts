/**
 * The credentials of the test server's embedded platform: its own client, whose
 * secret jupyter_server_test_config.py writes into the platform's data folder
 * (VCE_UI_TEST_CLIENT_SECRET, read by both).
 */
import type { APIRequestContext } from '@playwright/test';

/** The embedded platform's own client (jupyterlab_vce/embedded.py EMBEDDED_CLIENT_KEY). */
export const CLIENT_KEY = 'vce-local-researcher';
export const CLIENT_SECRET =
  process.env.VCE_UI_TEST_CLIENT_SECRET ?? 'galata-Secret-4f1c2e9a7b';

/**
 * Sign the test server in with the test client, whatever an earlier test or
 * spec left behind: every spec starts from this (in its beforeEach, before
 * JupyterLab loads), so no spec depends on the order the files run in.
 * All of them share one embedded platform, so quota assertions are relative
 * to what was used before (never "VCE 0 / 5,000").
 */
export async function signInTestClient(
  request: APIRequestContext
): Promise<void> {
  // The embedded platform starts in the background: until it answers, the
  // server extension says 503 `platform_starting` with a Retry-After.
  const deadline = Date.now() + STARTING_TIMEOUT_MS;
  let response = await signIn(request);
  while (
    response.status() === 503 &&
    (await response.text()).includes('platform_starting') &&
    Date.now() < deadline
  ) {
    const seconds = Number(response.headers()['retry-after'] ?? '1');
    await new Promise(resolve => setTimeout(resolve, seconds * 1000));
    response = await signIn(request);
  }
  if (!response.ok()) {
    throw new Error(
      `The test client could not sign in: ${response.status()} ${await response.text()}`
    );
  }
}

/** The longest the first spec waits for the embedded platform's first start (its data). */
const STARTING_TIMEOUT_MS = 180_000;

function signIn(request: APIRequestContext) {
  return request.post('/vce/api/session', {
    data: { client_key: CLIENT_KEY, client_secret: CLIENT_SECRET }
  });
}
