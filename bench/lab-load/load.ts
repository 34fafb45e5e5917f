/**
 * One cold load of JupyterLab in Chromium: a fresh browser context (empty
 * cache, no cookies), `/lab?token=…`, and the times (ms since navigation
 * start) at which JupyterLab's `app.started` and `app.restored` promises
 * resolved, read from `window.jupyterapp` (the labs run with
 * `expose_app_in_browser`), hooked before any script of the page runs. Also:
 * the extension's files the page requested before `restored`.
 *
 * The page's scripts are strings: tsx compiles functions with esbuild's
 * `__name` helper, which the page does not have.
 */
import type { Browser } from 'playwright-core';

export interface LoadTimes {
  started: number;
  restored: number;
  /** Paths (no query) under /lab/extensions/jupyterlab-vce/ requested before `restored`. */
  vceFiles: string[];
}

export const VCE_PREFIX = '/lab/extensions/jupyterlab-vce/';

/** Runs in the page before its scripts: marks the app's promises as they resolve. */
const HOOK_APP = `(() => {
  const marks = {};
  window.__labLoad = marks;
  performance.setResourceTimingBufferSize(100000); // JupyterLab loads hundreds of files
  let app;
  Object.defineProperty(window, 'jupyterapp', {
    configurable: true,
    get() { return app; },
    set(value) {
      app = value;
      value.started.then(() => { marks.started = performance.now(); });
      value.restored.then(() => { marks.restored = performance.now(); });
    }
  });
})()`;

const RESTORED =
  'window.__labLoad !== undefined && window.__labLoad.restored !== undefined';

/** The marks, and the extension's files whose request started before `restored`. */
const RESULT = `(() => {
  const marks = window.__labLoad;
  const prefix = ${JSON.stringify(VCE_PREFIX)};
  const files = performance
    .getEntriesByType('resource')
    .filter(entry => entry.startTime < marks.restored && new URL(entry.name).pathname.includes(prefix))
    .map(entry => new URL(entry.name).pathname);
  return { started: marks.started, restored: marks.restored, vceFiles: [...new Set(files)] };
})()`;

export async function coldLoad(
  browser: Browser,
  url: string,
  token: string,
  timeoutMs = 120_000
): Promise<LoadTimes> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 }
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(HOOK_APP);
    await page.goto(`${url}/lab?token=${encodeURIComponent(token)}`, {
      waitUntil: 'commit',
      timeout: timeoutMs
    });
    await page.waitForFunction(RESTORED, undefined, {
      timeout: timeoutMs,
      polling: 50
    });
    return (await page.evaluate(RESULT)) as LoadTimes;
  } finally {
    await context.close();
  }
}
