import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors';
import {
  normaliseName,
  renderProjectPage,
  renderRootPage,
  type PackageIndex
} from '../packages/index';

export const SIMPLE_PATH = '/simple/';
const HTML = 'text/html; charset=utf-8';

/** Public, as a package index is: no bearer token (the auth hook skips `config.public`). */
const PUBLIC = { config: { public: true } };

function notFound(what: string): ApiError {
  return new ApiError(
    404,
    'not_found',
    `The package index has no ${what}: it serves pyrqs (${SIMPLE_PATH}pyrqs/).`
  );
}

/** pip asks for `/simple/<name>/`: the form without the slash redirects to it. */
function endsWithSlash(request: FastifyRequest): boolean {
  return request.url.split('?')[0].endsWith('/');
}

/**
 * `GET /simple/`, `/simple/<project>/`, `/simple/<project>/<file>`: the
 * platform's PEP 503 package index (src/packages/index.ts), read-only.
 */
export function registerSimpleIndexRoutes(
  app: FastifyInstance,
  index: PackageIndex
): void {
  app.get(SIMPLE_PATH, PUBLIC, async (request, reply) => {
    if (!endsWithSlash(request)) {
      return reply.redirect(SIMPLE_PATH, 301);
    }
    return reply.type(HTML).send(renderRootPage(index));
  });

  app.get<{ Params: { project: string } }>(
    `${SIMPLE_PATH}:project/`,
    PUBLIC,
    async (request, reply: FastifyReply) => {
      const name = normaliseName(request.params.project);
      const project = index.projects.get(name);
      if (!project) {
        throw notFound(`project "${request.params.project}"`);
      }
      if (name !== request.params.project || !endsWithSlash(request)) {
        return reply.redirect(`${SIMPLE_PATH}${name}/`, 301);
      }
      return reply.type(HTML).send(renderProjectPage(project));
    }
  );

  app.get<{ Params: { project: string; filename: string } }>(
    `${SIMPLE_PATH}:project/:filename`,
    PUBLIC,
    async (request, reply) => {
      const project = index.projects.get(request.params.project);
      // Only a name of the fixed map, listed under its own project: never a path from the request.
      const file = index.files.get(request.params.filename);
      if (!project || !file || !project.files.includes(file)) {
        throw notFound(`file "${request.params.filename}"`);
      }
      let content: Buffer;
      try {
        content = await readFile(file.path);
      } catch {
        throw notFound(`file "${file.filename}" any more`);
      }
      return reply
        .type('application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${file.filename}"`
        )
        .send(content);
    }
  );
}
