import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makePlatform } from './helpers/helpers';
import { openapi } from './helpers/openapi-conformance';

describe('openapi.yaml', () => {
  it('is a valid OpenAPI document', async () => {
    // The validator is an ES module: run it in its own node process.
    const script = `
      import { Validator } from '@seriousme/openapi-schema-validator';
      const result = await new Validator().validate(process.argv[1]);
      console.log(JSON.stringify(result));`;
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script,
        join(__dirname, '..', 'openapi.yaml')
      ],
      { cwd: join(__dirname, '..'), encoding: 'utf8' }
    );
    const result = JSON.parse(output) as { valid: boolean; errors?: unknown };
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents exactly the routes the platform serves', async () => {
    const platform = makePlatform();
    await platform.app.ready();
    const served = platform.app.platformRoutes
      .map(route => `${route.method} ${route.url}`)
      .sort();
    const documented = Object.entries(openapi.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map(method => `${method.toUpperCase()} ${path}`)
      )
      .sort();
    expect(served).toEqual(documented);
    await platform.close();
  });
});
