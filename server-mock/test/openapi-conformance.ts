import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** The platform's contract, parsed. */
export const openapi = parse(readFileSync(join(__dirname, '..', 'openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: unknown }> }>>;
  components: { responses: Record<string, unknown> };
};

const DOC_ID = 'openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, DOC_ID);

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The documented path template a request path matches (trailing slash optional). */
export function documentedPath(path: string): string | undefined {
  const bare = path.split('?')[0].replace(/\/+$/, '');
  // A template's {param} matches one path segment.
  const pattern = (template: string) =>
    new RegExp(`^${template.replace(/\/+$/, '').replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return Object.keys(openapi.paths).find(template => pattern(template).test(bare));
}

/**
 * Check one response against the document: the status must be documented for
 * the path and method, and the JSON body must match its schema.
 * Undocumented paths must answer with the error envelope.
 */
export function assertConforms(method: string, path: string, response: LightMyRequestResponse): void {
  const template = documentedPath(path);
  const body = response.json();
  let pointer: string;
  if (!template) {
    pointer = `#/components/schemas/ErrorEnvelope`;
  } else {
    const operations = openapi.paths[template];
    const operation = operations[method.toLowerCase()];
    if (!operation) {
      if (response.statusCode !== 405) {
        throw new Error(`${method} ${path}: undocumented method answered ${response.statusCode}`);
      }
      pointer = `#/components/schemas/ErrorEnvelope`;
    } else {
      const documented = operation.responses[String(response.statusCode)];
      if (!documented) {
        throw new Error(`${method} ${path}: status ${response.statusCode} is not documented`);
      }
      const base = documented.$ref
        ? documented.$ref
        : `#/paths/${escape(template)}/${method.toLowerCase()}/responses/${response.statusCode}`;
      pointer = `${base}/content/application~1json/schema`;
    }
  }
  const validate = ajv.getSchema(`${DOC_ID}${pointer}`);
  if (!validate) {
    throw new Error(`no schema at ${pointer}`);
  }
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${response.statusCode}: body does not match ${pointer}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`
    );
  }
}

/** `app.inject`, with every response checked against the document. */
export async function call(app: FastifyInstance, options: InjectOptions & { url: string }): Promise<LightMyRequestResponse> {
  const response = await app.inject(options);
  assertConforms(options.method ?? 'GET', options.url, response);
  return response;
}
