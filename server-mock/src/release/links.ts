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
export type LinkState = 'active' | 'expired' | 'gone' | 'moved';

/** The origin (`http://host:port`) of the result link in a mail's text, or null. */
export function mailedOrigin(text: string): string | null {
  const match = /(https?:\/\/[^\s/]+)\/v2\/vce\/results\//.exec(text);
  return match ? match[1] : null;
}

/**
 * `gone` when the release's archive no longer exists, `expired` past its date,
 * `moved` when the link names another address than the platform's now (the
 * embedded platform had to take a new port: the old one may be anyone's now),
 * else `active`.
 */
export function linkState(
  release: { expiresAt: string; archive: string } | null,
  now: Date,
  exists: (path: string) => boolean,
  addresses: { mailed: string | null; current: string } | null = null
): { state: LinkState; expires_at: string | null } {
  if (!release || !exists(release.archive)) {
    return { state: 'gone', expires_at: release?.expiresAt ?? null };
  }
  if (Date.parse(release.expiresAt) <= now.getTime()) {
    return { state: 'expired', expires_at: release.expiresAt };
  }
  const moved =
    addresses !== null &&
    addresses.mailed !== null &&
    addresses.mailed !== addresses.current.replace(/\/+$/, '');
  return {
    state: moved ? 'moved' : 'active',
    expires_at: release.expiresAt
  };
}
