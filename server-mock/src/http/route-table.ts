/**
 * The platform's route table as OpenAPI writes it, and which methods a path
 * takes: what a 405's `Allow` header names. Pure.
 */

/** One registered route: what the OpenAPI conformance test compares. */
export interface RouteEntry {
  method: string;
  url: string;
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** A template such as `/v2/vce/jobs/{job_id}/` as a regex over request paths (trailing slash optional). */
function templatePattern(template: string): RegExp {
  return new RegExp(
    `^${withoutSlash(template)
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{[^}]+\}/g, '[^/]+')}$`
  );
}

/** The methods the routes take at a request URL (its query string ignored), in registration order. */
export function allowedMethods(routes: RouteEntry[], url: string): string[] {
  const path = withoutSlash(url.split('?')[0]);
  const methods: string[] = [];
  for (const route of routes) {
    if (
      !methods.includes(route.method) &&
      templatePattern(route.url).test(path)
    ) {
      methods.push(route.method);
    }
  }
  return methods;
}

/** A 405's `Allow` header and message, or null when no route serves the path at all (a 404). */
export function methodNotAllowed(
  routes: RouteEntry[],
  method: string,
  url: string
): { allow: string; message: string } | null {
  const allowed = allowedMethods(routes, url);
  if (allowed.length === 0) {
    return null;
  }
  return {
    allow: allowed.join(', '),
    message: `${method} is not allowed on ${url.split('?')[0]}: use ${allowed.join(' or ')}.`
  };
}
