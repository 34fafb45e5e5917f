/**
 * The credentials the test server's embedded platform is started with
 * (jupyter_server_test_config.py reads the same environment variables).
 */
export const CLIENT_KEY = process.env.VCE_UI_TEST_CLIENT_KEY ?? 'galata-researcher';
export const CLIENT_SECRET =
  process.env.VCE_UI_TEST_CLIENT_SECRET ?? 'galata-Secret-4f1c2e9a7b';
