import { readFileSync, statSync } from 'node:fs';
import { checkClient, UsageError } from './config';
import type { ClientSpec } from './store';

/**
 * `--clients-file FILE`: the research clients and reviewers of a team, in JSON:
 *
 *   {"researchers": [{"client_key": "…", "client_secret": "…", "email": "…",
 *                     "project_name": "…"}],
 *    "reviewers":   [{"client_key": "…", "client_secret": "…", "email": "…"}]}
 *
 * `project_name` is optional. Every entry keeps the rules of `--client`
 * (checkClient); a message names the file and the entry, never a secret.
 */
export interface ClientsFile {
  researchers: ClientSpec[];
  reviewers: ClientSpec[];
}

const LISTS = ['researchers', 'reviewers'] as const;
const ENTRY_FIELDS = ['client_key', 'client_secret', 'email', 'project_name'];
const MAX_PROJECT_NAME = 200;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entry(
  raw: unknown,
  where: string,
  role: ClientSpec['role']
): ClientSpec {
  if (!isObject(raw)) {
    throw new UsageError(
      `${where} must be an object with client_key, client_secret and email.`
    );
  }
  const unknown = Object.keys(raw).filter(key => !ENTRY_FIELDS.includes(key));
  if (unknown.length > 0) {
    throw new UsageError(
      `${where} has unknown field(s) ${unknown.map(key => `"${key}"`).join(', ')}; ` +
        `an entry has ${ENTRY_FIELDS.join(', ')} (project_name optional).`
    );
  }
  for (const field of ['client_key', 'client_secret', 'email']) {
    if (typeof raw[field] !== 'string') {
      throw new UsageError(`${where} needs "${field}" (a string).`);
    }
  }
  const spec: ClientSpec = {
    clientKey: raw.client_key as string,
    clientSecret: raw.client_secret as string,
    email: raw.email as string,
    role
  };
  if (raw.project_name !== undefined) {
    const name = raw.project_name;
    if (
      typeof name !== 'string' ||
      !name.trim() ||
      name.length > MAX_PROJECT_NAME
    ) {
      throw new UsageError(
        `${where} "project_name" must be a non-empty string of at most ${MAX_PROJECT_NAME} characters.`
      );
    }
    spec.projectName = name.trim();
  }
  return checkClient(spec, where);
}

/** Parse the file's text; `path` only names it in messages. */
export function parseClientsFile(text: string, path: string): ClientsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--clients-file ${path} is not valid JSON (${(error as Error).message}).`
    );
  }
  if (!isObject(data)) {
    throw new UsageError(
      `--clients-file ${path} must hold an object {"researchers": [...], "reviewers": [...]}.`
    );
  }
  const unknown = Object.keys(data).filter(
    key => !(LISTS as readonly string[]).includes(key)
  );
  if (unknown.length > 0) {
    throw new UsageError(
      `--clients-file ${path} has unknown key(s) ${unknown.map(key => `"${key}"`).join(', ')}; ` +
        'it holds "researchers" and "reviewers".'
    );
  }
  const result: ClientsFile = { researchers: [], reviewers: [] };
  const seen = new Map<string, string>();
  for (const list of LISTS) {
    const items = data[list] ?? [];
    if (!Array.isArray(items)) {
      throw new UsageError(
        `--clients-file ${path}: "${list}" must be a list of entries.`
      );
    }
    items.forEach((raw, index) => {
      const where = `--clients-file ${path}: ${list}[${index}]`;
      const spec = entry(
        raw,
        where,
        list === 'reviewers' ? 'reviewer' : 'researcher'
      );
      const earlier = seen.get(spec.clientKey);
      if (earlier) {
        throw new UsageError(
          `${where} repeats the client key "${spec.clientKey}" of ${earlier}; every key is one client.`
        );
      }
      seen.set(spec.clientKey, `${list}[${index}]`);
      result[list].push(spec);
    });
  }
  if (result.researchers.length + result.reviewers.length === 0) {
    throw new UsageError(
      `--clients-file ${path} lists no researchers and no reviewers.`
    );
  }
  return result;
}

/**
 * A warning when the file (it holds secrets) can be read by other users of the
 * machine, or null. `mode` is the file's st_mode.
 */
export function modeWarning(path: string, mode: number): string | null {
  if ((mode & 0o044) === 0) {
    return null;
  }
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  return (
    `--clients-file ${path} holds client secrets and other users of this machine can read it ` +
    `(mode ${octal}): run chmod 600 ${path}`
  );
}

/** Read and check the file; `warn` gets the permission warning, if any. */
export function readClientsFile(
  path: string,
  warn: (message: string) => void
): ClientsFile {
  let text: string;
  let mode: number;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `--clients-file ${path} does not exist.`
        : `--clients-file ${path} cannot be read (${code ?? (error as Error).message}).`
    );
  }
  const warning = modeWarning(path, mode);
  if (warning) {
    warn(warning);
  }
  return parseClientsFile(text, path);
}

/**
 * The clients of the flags and of the file together; a key in both is refused
 * rather than one of them silently winning.
 */
export function mergeClients(
  flags: { clients: ClientSpec[]; reviewers: ClientSpec[] },
  file: ClientsFile | null,
  path = ''
): { clients: ClientSpec[]; reviewers: ClientSpec[] } {
  if (!file) {
    return flags;
  }
  const flagged = new Set(
    [...flags.clients, ...flags.reviewers].map(spec => spec.clientKey)
  );
  for (const spec of [...file.researchers, ...file.reviewers]) {
    if (flagged.has(spec.clientKey)) {
      throw new UsageError(
        `The client key "${spec.clientKey}" is in --clients-file ${path} and in a flag ` +
          '(--client, --reviewer or VCE_MOCK_CLIENT); give each client once.'
      );
    }
  }
  return {
    clients: [...flags.clients, ...file.researchers],
    reviewers: [...flags.reviewers, ...file.reviewers]
  };
}
