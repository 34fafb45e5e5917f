import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type {
  FastifyInstance,
  InjectOptions,
  LightMyRequestResponse
} from 'fastify';

/** The platform's contract, parsed. */
export const openapi = parse(
  readFileSync(join(__dirname, '..', '..', 'openapi.yaml'), 'utf8')
) as {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: unknown }> }
    >
  >;
  components: { responses: Record<string, unknown> };
};

const DOC_ID = 'openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, DOC_ID);

const escape = (segment: string) =>
  segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The documented path template a request path matches (trailing slash optional). */
export function documentedPath(path: string): string | undefined {
  const bare = path.split('?')[0].replace(/\/+$/, '');
  // A template's {param} matches one path segment.
  const pattern = (template: string) =>
    new RegExp(
      `^${template
        .replace(/\/+$/, '')
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{[^}]+\}/g, '[^/]+')}$`
    );
  return Object.keys(openapi.paths).find(template =>
    pattern(template).test(bare)
  );
}

/**
 * Check one response against the document: the status must be documented for
 * the path and method, and the JSON body must match its schema.
 * Undocumented paths must answer with the error envelope.
 */
/** What the check needs of a response, from app.inject or from fetch over real HTTP. */
export interface CheckedResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  json(): unknown;
}

export function assertConforms(
  method: string,
  path: string,
  response: CheckedResponse | LightMyRequestResponse
): void {
  const template = documentedPath(path);
  const contentType = String(response.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  if (
    !contentType &&
    response.statusCode >= 300 &&
    response.statusCode < 400 &&
    template
  ) {
    // A redirect without a body (the package index's): its status must be documented.
    const operation = openapi.paths[template]?.[method.toLowerCase()];
    if (!operation?.responses[String(response.statusCode)]) {
      throw new Error(
        `${method} ${path}: redirect ${response.statusCode} is not documented`
      );
    }
    return;
  }
  if (contentType && contentType !== 'application/json') {
    // A zip or an event stream: the documented response must have that content type.
    const documented = template
      ? openapi.paths[template]?.[method.toLowerCase()]?.responses[
          String(response.statusCode)
        ]
      : undefined;
    const content = (documented?.content ?? {}) as Record<string, unknown>;
    if (!(contentType in content)) {
      throw new Error(
        `${method} ${path} ${response.statusCode}: content type ${contentType} is not documented`
      );
    }
    return;
  }
  const body = response.json();
  let pointer: string;
  if (!template) {
    pointer = `#/components/schemas/ErrorEnvelope`;
  } else {
    const operations = openapi.paths[template];
    const operation = operations[method.toLowerCase()];
    if (!operation) {
      if (response.statusCode !== 405) {
        throw new Error(
          `${method} ${path}: undocumented method answered ${response.statusCode}`
        );
      }
      pointer = `#/components/schemas/ErrorEnvelope`;
    } else {
      const documented = operation.responses[String(response.statusCode)];
      if (!documented) {
        throw new Error(
          `${method} ${path}: status ${response.statusCode} is not documented`
        );
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
  // What an attestation signs is in the contract too: check the JWS payload.
  if (
    template === '/v2/vce/jobs/{job_id}/attestation/' &&
    response.statusCode === 200
  ) {
    const jws = (body as { data: { jws: string } }).data.jws;
    assertSchema(
      'AttestationStatement',
      JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'))
    );
  }
}

/** Check a value against `#/components/schemas/{name}` of the document; throws with ajv's errors. */
export function assertSchema(name: string, value: unknown): void {
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`);
  if (!validate) {
    throw new Error(`no schema ${name}`);
  }
  if (!validate(value)) {
    throw new Error(
      `does not match ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`
    );
  }
}

/**
 * Check the events of a server-sent event stream's text (`event:` and `data:`
 * lines, blank-line separated): each `data` is a `PlatformEvent` whose `type`
 * is its `event:` name. Returns the events, parsed.
 */
export function assertEventStream(text: string): { type: string }[] {
  const events: { type: string }[] = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const name = lines
      .find(line => line.startsWith('event: '))
      ?.slice('event: '.length);
    const data = lines
      .filter(line => line.startsWith('data: '))
      .map(line => line.slice('data: '.length));
    if (data.length === 0) {
      continue;
    }
    const event = JSON.parse(data.join('\n')) as { type: string };
    assertSchema('PlatformEvent', event);
    if (event.type !== name) {
      throw new Error(`event: ${name} carries a ${event.type} event`);
    }
    events.push(event);
  }
  return events;
}

/** `app.inject`, with every response checked against the document. */
export async function call(
  app: FastifyInstance,
  options: InjectOptions & { url: string }
): Promise<LightMyRequestResponse> {
  const response = await app.inject(options);
  assertConforms(options.method ?? 'GET', options.url, response);
  return response;
}

/**
 * `fetch` over real HTTP, with the response checked against the document
 * (JSON bodies against their schema; other content types must be documented).
 */
export async function fetchChecked(
  base: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | Buffer } = {}
): Promise<{
  status: number;
  headers: Headers;
  body: Buffer;
  json<T = any>(): T;
}> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: init.headers,
    body: init.body
  });
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  const json = <T>() => JSON.parse(body.toString('utf8')) as T;
  assertConforms(method, path, { statusCode: response.status, headers, json });
  return { status: response.status, headers: response.headers, body, json };
}
