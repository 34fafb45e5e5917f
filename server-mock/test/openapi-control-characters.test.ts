import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { CONTROL_CHARACTER } from '../src/http/input-guard';
import { openapi } from './helpers/openapi-conformance';

/**
 * openapi.yaml says which control characters a request's text may not hold
 * once, in `components.schemas.PlainText`, and it is the class the server's
 * input guard refuses (CONTROL_CHARACTER, issue 18). No other schema carries
 * its own copy of a control-character class but the documented exceptions.
 */

const DOC = 'openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, DOC);

const PLAIN_TEXT = '/components/schemas/PlainText';
const PLAIN_TEXT_REF = `#${PLAIN_TEXT}`;

const schemas = (
  openapi as unknown as {
    components: { schemas: Record<string, Record<string, unknown>> };
  }
).components.schemas;

/** Compiled as Ajv compiles a `pattern` (the `u` flag). */
const patternRegExp = (pattern: string) => new RegExp(pattern, 'u');

const escape = (segment: string) =>
  segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every `pattern` of the document, by JSON pointer. */
function patterns(
  value: unknown,
  pointer = ''
): { pointer: string; pattern: string }[] {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const at = `${pointer}/${escape(key)}`;
    return key === 'pattern' && typeof child === 'string'
      ? [{ pointer: at, pattern: child }]
      : patterns(child, at);
  });
}

/** A pattern that names a control character (an escaped C0 code point, DEL or a \c escape). */
const NAMES_CONTROL =
  /\\u00[01][0-9A-Fa-f]|\\u007[Ff]|\\x[01][0-9A-Fa-f]|\\x7[Ff]|\\c[A-Za-z]/;

/**
 * The patterns with a class of their own, and why. Each must still refuse
 * every character CONTROL_CHARACTER matches: `sample` puts one in a value the
 * pattern otherwise accepts.
 */
const EXCEPTIONS: Record<
  string,
  { why: string; sample: (character: string) => string }
> = {
  '/components/schemas/JobSubmission/properties/entry/pattern': {
    why: 'a file name: refuses tab, line feed and carriage return too',
    sample: character => `a${character}b.py`
  },
  '/components/schemas/JobSubmission/properties/files/items/properties/name/pattern':
    {
      why: 'a file name: refuses tab, line feed and carriage return too',
      sample: character => `a${character}b`
    }
};

const CODE_POINTS = Array.from({ length: 0xa0 }, (_, index) => index);
const hex = (code: number) =>
  `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

describe('control characters in openapi.yaml', () => {
  it('PlainText is a string schema with a pattern', () => {
    expect(schemas.PlainText).toEqual(
      expect.objectContaining({ type: 'string', pattern: expect.any(String) })
    );
    expect(String(schemas.PlainText.description)).toMatch(/issue 18/);
  });

  it.each(CODE_POINTS.map(code => [hex(code), code]))(
    'PlainText refuses %s exactly when CONTROL_CHARACTER matches it',
    (_, code) => {
      const character = String.fromCodePoint(code as number);
      const refused = CONTROL_CHARACTER.test(character);
      const pattern = patternRegExp(schemas.PlainText.pattern as string);
      expect(pattern.test(character)).toBe(!refused);
      expect(pattern.test(`a${character}b`)).toBe(!refused);
      // The schema as a validator sees it, $ref and all.
      const validate = ajv.getSchema(`${DOC}#${PLAIN_TEXT}`)!;
      expect(validate(`text ${character} text`)).toBe(!refused);
    }
  );

  it('no other pattern carries a control-character class but the documented exceptions', () => {
    const naming = patterns(openapi)
      .filter(({ pattern }) => NAMES_CONTROL.test(pattern))
      .map(({ pointer }) => pointer)
      .sort();
    expect(naming).toEqual(
      [`${PLAIN_TEXT}/pattern`, ...Object.keys(EXCEPTIONS)].sort()
    );
  });

  it.each(Object.entries(EXCEPTIONS))(
    '%s refuses every character CONTROL_CHARACTER matches',
    (pointer, { sample }) => {
      const pattern = patternRegExp(
        patterns(openapi).find(found => found.pointer === pointer)!.pattern
      );
      expect(pattern.test(sample('_'))).toBe(true);
      const let_through = CODE_POINTS.filter(code => {
        const character = String.fromCodePoint(code);
        return (
          CONTROL_CHARACTER.test(character) && pattern.test(sample(character))
        );
      }).map(hex);
      expect(let_through).toEqual([]);
    }
  );

  it('every string parameter is PlainText, an enum or a constant', () => {
    const document = openapi as unknown as {
      paths: Record<string, Record<string, { parameters?: unknown[] }>>;
      components: { parameters: Record<string, unknown> };
    };
    const parameters = [
      ...Object.values(document.paths).flatMap(operations =>
        Object.values(operations).flatMap(
          operation => operation.parameters ?? []
        )
      ),
      ...Object.values(document.components.parameters)
    ] as { name?: string; $ref?: string; schema?: Record<string, unknown> }[];
    const loose = parameters
      .filter(parameter => !parameter.$ref)
      .filter(({ schema = {} }) => {
        const types = ([] as unknown[]).concat(schema.type ?? []);
        return (
          schema.$ref !== PLAIN_TEXT_REF &&
          types.includes('string') &&
          schema.enum === undefined &&
          schema.const === undefined
        );
      })
      .map(parameter => parameter.name);
    expect(loose).toEqual([]);
  });
});
