import type { IVCEStatus } from '../../api/types';

/** A status answer as the server extension gives it, with overrides. */
export function makeStatus(overrides: Partial<IVCEStatus> = {}): IVCEStatus {
  return {
    signed_in: true,
    credentials_source: 'embedded',
    platform_url: 'http://127.0.0.1:8910',
    embedded: true,
    hub_managed: false,
    platform: { state: 'connected', message: 'Connected.' },
    identity: {
      client_key: 'vce-local-researcher',
      role: 'researcher',
      project: { id: 'prj-1', name: 'Local rehearsal project' },
      primary_researcher_email: 'researcher@vce.localhost'
    },
    quota: {
      day: '2026-11-25',
      daily_limit: 5000,
      used: 0,
      remaining: 5000,
      resets_at: '2026-11-26T00:00:00Z'
    },
    checked_at: '2026-11-25T05:00:00Z',
    ...overrides
  } as IVCEStatus;
}

export const unreachable = (): IVCEStatus =>
  makeStatus({
    identity: null,
    quota: null,
    platform: {
      state: 'unreachable',
      message:
        'The platform at http://127.0.0.1:8910 is not answering; retrying.'
    }
  });

export const signedOut = (): IVCEStatus =>
  makeStatus({
    signed_in: false,
    credentials_source: null,
    identity: null,
    quota: null,
    platform: {
      state: 'not_signed_in',
      message: 'Sign in with your client key and secret.'
    }
  });

export const notConfigured = (): IVCEStatus =>
  makeStatus({
    signed_in: false,
    credentials_source: null,
    platform_url: null,
    identity: null,
    quota: null,
    platform: {
      state: 'not_configured',
      message:
        'No platform is configured: RQS_API_URL is not set and the platform stand-in (vce-mock) was not found. Install the platform stand-in with `npm install -g vce-mock-0.1.0.tgz`, or set RQS_API_URL (with RQS_CLIENT_KEY and RQS_CLIENT_SECRET) to use a running platform; then restart JupyterLab.'
    }
  });
