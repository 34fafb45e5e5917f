/**
 * Playwright against a real JupyterHub (scripts/start-hub.sh: configurable-http-proxy from
 * npm, the simple local process spawner, the stand-in as a managed service), in Debian's
 * Chromium. Its own ports and a fresh state folder (tests-hub/hub.ts), so it never meets
 * the lab tests' server (8888) or a team hub (8000).
 *
 *   npx playwright test -c playwright.hub.config.ts
 */
import { defineConfig } from '@playwright/test';
import { launchOptions } from './chromium';
import { HUB_PORT, HUB_URL, PLATFORM_PORT, STATE_DIR } from './tests-hub/hub';

export default defineConfig({
  testDir: './tests-hub',
  outputDir: './test-results-hub',
  reporter: [
    [process.env.CI ? 'line' : 'list'],
    ['html', { open: 'never', outputFolder: 'playwright-report-hub' }]
  ],
  timeout: 240_000,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  use: {
    baseURL: HUB_URL,
    viewport: { width: 1280, height: 800 },
    video: 'off', // video needs a downloaded ffmpeg
    trace: 'retain-on-failure',
    launchOptions
  },
  webServer: {
    command: [
      'bash ../scripts/start-hub.sh --fresh',
      `--port ${HUB_PORT} --platform-port ${PLATFORM_PORT}`,
      `--state-dir ${STATE_DIR}`
    ].join(' '),
    url: `${HUB_URL}/hub/login`,
    // A first run on a fresh machine builds the wheel and installs the hub's packages.
    timeout: 20 * 60 * 1000,
    reuseExistingServer: !process.env.CI,
    // SIGTERM, so start-hub.sh stops the hub and the hub its proxy, stand-in and labs
    // (they run in sessions of their own: a SIGKILL of the group would leave them running).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    stdout: 'pipe'
  }
});
