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
  const response = await request.post('/vce/api/session', {
    data: { client_key: CLIENT_KEY, client_secret: CLIENT_SECRET }
  });
  if (!response.ok()) {
    throw new Error(
      `The test client could not sign in: ${response.status()} ${await response.text()}`
    );
  }
}
