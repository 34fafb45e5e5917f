import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EMAIL } from './config';
import { newSecret } from './secrets';
import type { ClientSpec } from './store';

export const DEMO_CLIENT_FILE = 'demo-client.json';
export const DEMO_CLIENT_KEY = 'vce-demo';

/**
 * The demo client used when no --client is given: generated once, kept in
 * the data dir (mode 0600) so its credentials survive restarts.
 */
export function loadOrCreateDemoClient(dataDir: string): ClientSpec {
  const path = join(dataDir, DEMO_CLIENT_FILE);
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as ClientSpec;
    if (saved.clientKey && saved.clientSecret && saved.email) {
      return saved;
    }
  }
  const spec: ClientSpec = {
    clientKey: DEMO_CLIENT_KEY,
    clientSecret: newSecret(),
    email: DEFAULT_EMAIL
  };
  writeFileSync(path, JSON.stringify(spec, null, 2) + '\n', { mode: 0o600 });
  return spec;
}

/** The banner that tells a person how to sign in to the demo client. */
export function demoBanner(spec: ClientSpec): string {
  return [
    '',
    '  vce-mock: no --client given; a demo research client is registered:',
    `    client key:    ${spec.clientKey}`,
    `    client secret: ${spec.clientSecret}`,
    `    email:         ${spec.email}`,
    '  Use them as RQS_CLIENT_KEY / RQS_CLIENT_SECRET, or in the sign-in dialog.',
    ''
  ].join('\n');
}
