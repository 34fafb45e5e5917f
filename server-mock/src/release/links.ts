import { randomBytes } from 'node:crypto';
import { tokenDigest } from '../secrets';

/**
 * Result links: an unguessable token (256 random bits) is the credential of
 * `GET /v2/vce/results/{token}`; only its digest is stored, so a copy of the
 * database does not give the links away.
 */

/** How long a link works (seconds): a week, configurable (`--link-ttl`). */
export const DEFAULT_LINK_TTL_SECONDS = 7 * 24 * 3600;

export const RESULTS_PATH = '/v2/vce/results/';

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export const linkDigest = (token: string): string =>
  tokenDigest(`link:${token}`);

export function linkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${RESULTS_PATH}${token}`;
}

/** Whether an approved mail's link still works: the state the outbox shows beside the mail. */
export type LinkState = 'active' | 'expired' | 'gone';

export function linkState(
  release: { expiresAt: string; archive: string } | null,
  now: Date,
  exists: (path: string) => boolean
): { state: LinkState; expires_at: string | null } {
  if (!release || !exists(release.archive)) {
    return { state: 'gone', expires_at: release?.expiresAt ?? null };
  }
  const expired = Date.parse(release.expiresAt) <= now.getTime();
  return {
    state: expired ? 'expired' : 'active',
    expires_at: release.expiresAt
  };
}
