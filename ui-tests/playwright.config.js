/**
 * Galata in Debian's Chromium (never a downloaded browser).
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const { launchOptions } = require('./chromium');

// The lab's port: VCE_UI_TEST_PORT (default 8888), so that two runs can share a machine.
// jupyter_server_test_config.py reads the same variable.
const port = Number(process.env.VCE_UI_TEST_PORT || 8888);
const baseURL = `http://localhost:${port}`;

module.exports = {
  ...baseConfig,
  // The hub's tests (tests-hub/) have their own config: playwright.hub.config.ts.
  testDir: './tests',
  reporter: [[process.env.CI ? 'line' : 'list'], ['html', { open: 'never' }]],
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  use: {
    ...baseConfig.use,
    baseURL,
    video: 'off', // video needs a downloaded ffmpeg
    trace: 'retain-on-failure',
    launchOptions
  },
  webServer: {
    command: 'npm start',
    url: `${baseURL}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
