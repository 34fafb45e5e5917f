import { readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadPackageIndex } from '../../src/packages/index';
import { makePlatform } from '../helpers/helpers';
import { call } from '../helpers/openapi-conformance';
import {
  makePackagesDir,
  SDIST,
  sha256,
  WHEEL
} from '../helpers/package-files';

/** A request as written, over real HTTP: no client tidies the path. */
function rawGet(
  port: number,
  path: string
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET' },
      response => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', chunk => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body })
        );
      }
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the package index routes /simple/', () => {
  let dir: string;
  let platform: ReturnType<typeof makePlatform>;
  beforeAll(async () => {
    dir = makePackagesDir();
    platform = makePlatform({ packageIndex: loadPackageIndex(dir) });
    await platform.app.ready();
  });
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the root page without a token', async () => {
    const response = await call(platform.app, { url: '/simple/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<a href="pyrqs/">pyrqs</a>');
  });

  it("lists the project's files with their real hashes", async () => {
    const response = await call(platform.app, { url: '/simple/pyrqs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(
      `href="${WHEEL}#sha256=${sha256(join(dir, WHEEL))}" data-requires-python="&gt;=3.10,&lt;4"`
    );
    expect(response.body).toContain(
      `href="${SDIST}#sha256=${sha256(join(dir, SDIST))}"`
    );
  });

  it('serves the listed files, byte for byte', async () => {
    for (const name of [WHEEL, SDIST]) {
      const response = await call(platform.app, {
        url: `/simple/pyrqs/${name}`
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.rawPayload.equals(readFileSync(join(dir, name)))).toBe(
        true
      );
    }
    const head = await platform.app.inject({
      method: 'HEAD',
      url: `/simple/pyrqs/${WHEEL}`
    });
    expect(head.statusCode).toBe(200);
  });

  it.each([
    ['/simple', '/simple/'],
    ['/simple/pyrqs', '/simple/pyrqs/'],
    ['/simple/PyRQS/', '/simple/pyrqs/'],
    ['/simple/PYRQS', '/simple/pyrqs/']
  ])('redirects %s to %s', async (url, location) => {
    const response = await platform.app.inject({ url });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(location);
    await call(platform.app, { url });
  });

  it.each([
    '/simple/other/',
    '/simple/Py_RQS/',
    `/simple/other/${WHEEL}`,
    '/simple/pyrqs/notes.txt',
    '/simple/pyrqs/pyrqs-9.9.9.tar.gz',
    '/simple/pyrqs/package.json',
    '/simple/pyrqs/..%2F..%2Fpackage.json',
    '/simple/pyrqs/%2e%2e%2f%2e%2e%2fetc%2fpasswd'
  ])('answers 404 for %s', async url => {
    const response = await call(platform.app, { url });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('serves nothing outside the index over real HTTP, whatever the path says', async () => {
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = platform.app.server.address() as AddressInfo;
    for (const path of [
      '/simple/pyrqs/../../etc/passwd',
      '/simple/pyrqs/../../package.json',
      `/simple/pyrqs/..%2F..%2F${encodeURIComponent(dir.slice(1))}%2F${WHEEL}`,
      '/simple/pyrqs/%2Fetc%2Fpasswd',
      '/simple/../package.json'
    ]) {
      const response = await rawGet(port, path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.body).not.toContain('root:');
    }
  });

  it.each([
    ['POST', '/simple/'],
    ['PUT', '/simple/pyrqs/'],
    ['DELETE', `/simple/pyrqs/${WHEEL}`],
    ['PATCH', '/simple/pyrqs/']
  ] as const)('is read-only: %s %s is 405', async (method, url) => {
    const response = await call(platform.app, { method, url });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
  });

  it('ignores a bad bearer token (public, as a package index is)', async () => {
    const response = await call(platform.app, {
      url: '/simple/pyrqs/',
      headers: { authorization: 'Bearer nonsense' }
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('an empty package index', () => {
  it('has a root page without projects, and no project', async () => {
    const platform = makePlatform();
    try {
      const root = await call(platform.app, { url: '/simple/' });
      expect(root.statusCode).toBe(200);
      expect(root.body).not.toContain('<a ');
      const project = await call(platform.app, { url: '/simple/pyrqs/' });
      expect(project.statusCode).toBe(404);
    } finally {
      await platform.close();
    }
  });
});
