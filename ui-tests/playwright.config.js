/**
 * Galata in Debian's Chromium (never a downloaded browser).
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const { launchOptions } = require('./chromium');

module.exports = {
  ...baseConfig,
  // The hub's tests (tests-hub/) have their own config: playwright.hub.config.ts.
  testDir: './tests',
  reporter: [[process.env.CI ? 'line' : 'list'], ['html', { open: 'never' }]],
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  use: {
    ...baseConfig.use,
    video: 'off', // video needs a downloaded ffmpeg
    trace: 'retain-on-failure',
    launchOptions
  },
  webServer: {
    command: 'npm start',
    url: 'http://localhost:8888/lab',
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
