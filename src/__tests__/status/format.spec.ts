import { nullTranslator } from '@jupyterlab/translation';
import { formatDuration } from '../../common/format';
import {
  connectionLabel,
  formatReset,
  formatUsage,
  phaseOf,
  statusTooltip
} from '../../status/format';
import {
  makeStatus,
  notConfigured,
  signedOut,
  unreachable
} from '../helpers/status-fixtures';

const trans = nullTranslator.load('jupyterlab_vce');
const now = new Date('2026-11-25T20:54:00Z');

describe('phaseOf', () => {
  it('is loading before the first answer', () => {
    expect(phaseOf(null, null)).toBe('loading');
  });
  it('maps each platform state', () => {
    expect(phaseOf(makeStatus(), null)).toBe('connected');
    expect(phaseOf(signedOut(), null)).toBe('signed-out');
    expect(phaseOf(unreachable(), null)).toBe('unreachable');
    const rejected = makeStatus({
      platform: {
        state: 'rejected',
        message: 'Client key or secret is incorrect.'
      }
    });
    expect(phaseOf(rejected, null)).toBe('rejected');
    expect(phaseOf(notConfigured(), null)).toBe('not-configured');
  });
  it('is unavailable when the server extension itself did not answer, whatever came before', () => {
    expect(phaseOf(makeStatus(), 'Jupyter is down')).toBe('unavailable');
  });
});

describe('formatting', () => {
  it('groups digits in usage', () => {
    const quota = { ...makeStatus().quota!, used: 1234 };
    expect(formatUsage(quota)).toBe('1,234 / 5,000');
  });
  it('writes durations for people', () => {
    expect(formatDuration(12_300, trans)).toBe('13 s');
    expect(formatDuration(42 * 60_000, trans)).toBe('42 min');
    expect(formatDuration((3 * 60 + 5) * 60_000, trans)).toBe('3 h 05 min');
    expect(formatDuration(-5, trans)).toBe('0 s');
  });
  it('says when the quota resets, in UTC', () => {
    expect(formatReset('2026-11-26T00:00:00Z', now, trans)).toBe(
      '00:00 UTC (in 3 h 06 min)'
    );
  });
});

describe('connectionLabel', () => {
  it('shows records used of the daily limit when connected', () => {
    expect(connectionLabel('connected', makeStatus(), trans)).toBe(
      'VCE 0 / 5,000'
    );
  });
  it('says a reviewer client is one (it has no quota)', () => {
    const status = makeStatus();
    const reviewer = makeStatus({
      identity: { ...status.identity!, role: 'reviewer' },
      quota: null
    });
    expect(connectionLabel('connected', reviewer, trans)).toBe('VCE reviewer');
  });
  it('asks to sign in when signed out or rejected', () => {
    expect(connectionLabel('signed-out', signedOut(), trans)).toBe(
      'VCE: sign in'
    );
    expect(connectionLabel('rejected', null, trans)).toBe('VCE: sign in again');
  });
  it('names the failure', () => {
    expect(connectionLabel('unreachable', unreachable(), trans)).toBe(
      'VCE unreachable'
    );
    expect(connectionLabel('unavailable', null, trans)).toBe('VCE unavailable');
  });
});

describe('statusTooltip', () => {
  it('explains usage, reset and identity when connected', () => {
    const text = statusTooltip(
      'connected',
      makeStatus(),
      null,
      now,
      null,
      trans
    );
    expect(text).toContain(
      'Client vce-local-researcher; results go to researcher@vce.localhost.'
    );
    expect(text).toContain(
      '0 of 5,000 (5,000 left); resets at 00:00 UTC (in 3 h 06 min)'
    );
  });
  it('gives the platform message and the next attempt while unreachable', () => {
    const next = now.getTime() + 8_000;
    const text = statusTooltip(
      'unreachable',
      unreachable(),
      null,
      now,
      next,
      trans
    );
    expect(text).toBe(
      'The platform at http://127.0.0.1:8910 is not answering; retrying. Next attempt in 8 s; click to retry now.'
    );
  });
  it('says the platform is not configured and the two ways out, with no retry', () => {
    expect(connectionLabel('not-configured', notConfigured(), trans)).toBe(
      'VCE not configured'
    );
    const text = statusTooltip(
      'not-configured',
      notConfigured(),
      null,
      now,
      null,
      trans
    );
    expect(text).toContain('npm install -g vce-mock-0.1.0.tgz');
    expect(text).toContain('set RQS_API_URL');
    expect(text).not.toContain('Next attempt');
  });
  it('tells a signed-out researcher what to do', () => {
    expect(
      statusTooltip('signed-out', signedOut(), null, now, null, trans)
    ).toMatch(/Click to sign in with your client key and secret/);
  });
  it('reports why the server could not be asked', () => {
    expect(
      statusTooltip(
        'unavailable',
        null,
        'The jupyterlab_vce server extension is not answering.',
        now,
        null,
        trans
      )
    ).toBe('The jupyterlab_vce server extension is not answering.');
  });
});
