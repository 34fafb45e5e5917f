/**
 * Debian's Chromium as Playwright launches it in both browser-test runs (the lab's,
 * playwright.config.js, and the hub's, playwright.hub.config.ts): never a downloaded browser.
 */
module.exports = {
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  }
};
