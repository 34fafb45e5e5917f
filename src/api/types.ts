/**
 * Wire types of the server extension's routes. The platform's objects come
 * from the platform's OpenAPI document (server-mock/openapi.yaml), generated
 * into ./platform.d.ts by `npm run gen:api`: never copied by hand.
 */
import type { components } from './platform';

type Schemas = components['schemas'];

/** Who the signed-in client is (`GET /v2/vce/me/`). */
export type Identity = Schemas['Identity'];

/** Records used of the daily test-stage quota (`GET /v2/vce/quota/`). */
export type Quota = Schemas['Quota'];

/** What the server extension knows about the platform connection. */
export type PlatformState =
  | 'connected'
  | 'unreachable'
  | 'not_signed_in'
  | 'rejected';

/** Where the server extension's credentials came from. */
export type CredentialsSource = 'environment' | 'sign_in' | 'embedded';

/** `GET /vce/api/status`: always answered with 200 by the server extension. */
export interface IVCEStatus {
  signed_in: boolean;
  credentials_source: CredentialsSource | null;
  platform_url: string | null;
  embedded: boolean;
  platform: { state: PlatformState; message: string };
  identity: Identity | null;
  quota: Quota | null;
  checked_at: string;
}

/** Body of `POST /vce/api/session`. */
export interface ICredentials {
  client_key: string;
  client_secret: string;
}
