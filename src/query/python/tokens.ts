/**
 * A tokenizer for the small part of Python an SDK cell is written in:
 * names, numbers, string literals (with their escapes decoded), brackets and
 * operators, logical line ends. Comments and blank lines are skipped; lines
 * inside brackets or after a backslash join as in Python. Pure.
 */
import { plainTranslate, Translate } from '../../common/translate';

export type TokenType = 'name' | 'number' | 'string' | 'op' | 'newline' | 'eof';

export interface IToken {
  type: TokenType;
  /** The source text (for strings: the literal as written). */
  text: string;
  /** A string's decoded value. */
  value?: string;
  /** 1-based line where the token starts. */
  line: number;
}

/** Why a cell cannot be read, and where. */
export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | null
  ) {
    super(message);
    this.name = 'CellSyntaxError';
  }
}

const OPERATORS =
  /^(\*\*=?|\/\/=?|<<=?|>>=?|->|:=|\.\.\.|==|!=|<=|>=|[-+*/%&|^@]=|[()[\]{},:.;=+\-*/%<>&|^~@!])/;
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const NUMBER =
  /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?[jJ]?)/;
const STRING_START = /^([rRuUbBfF]{1,2})?('''|"""|'|")/;
const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Decode the escapes of a non-raw string body. */
function decodeEscapes(body: string, line: number, trans: Translate): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[i + 1];
    i++;
    switch (next) {
      case '\n':
        break;
      case '\\':
      case "'":
      case '"':
        out += next;
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const size = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + size);
        if (!new RegExp(`^[0-9a-fA-F]{${size}}$`).test(hex)) {
          throw new CellSyntaxError(
            trans.__('a \\%1 escape needs %2 hex digits', next, size),
            line
          );
        }
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) {
          throw new CellSyntaxError(
            trans.__('\\U%1 is not a Unicode character', hex),
            line
          );
        }
        out +=
          code <= 0xffff
            ? String.fromCharCode(code)
            : String.fromCodePoint(code);
        i += size;
        break;
      }
      case 'N':
        throw new CellSyntaxError(
          trans.__('\\N{…} escapes are not read: write the character itself'),
          line
        );
      default: {
        const octal = /^[0-7]{1,3}/.exec(body.slice(i));
        if (octal) {
          out += String.fromCharCode(parseInt(octal[0], 8));
          i += octal[0].length - 1;
        } else {
          // Python keeps an unknown escape as it is.
          out += '\\' + (next ?? '');
        }
      }
    }
  }
  return out;
}

/** The tokens of a cell. Throws CellSyntaxError naming the line. */
export function tokenize(
  source: string,
  trans: Translate = plainTranslate
): IToken[] {
  const text = source.replace(/\r\n?/g, '\n');
  const tokens: IToken[] = [];
  const brackets: { char: string; line: number }[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = true;

  const push = (
    type: TokenType,
    tokenText: string,
    value?: string,
    at = line
  ) =>
    tokens.push({
      type,
      text: tokenText,
      line: at,
      ...(value === undefined ? {} : { value })
    });

  while (pos < text.length) {
    if (lineStart && brackets.length === 0) {
      const indent = /^[ \t\f]*/.exec(text.slice(pos))![0];
      const after = text[pos + indent.length];
      if (after === undefined || after === '\n' || after === '#') {
        pos += indent.length;
        const end = text.indexOf('\n', pos);
        pos = end === -1 ? text.length : end + 1;
        line += end === -1 ? 0 : 1;
        continue;
      }
      if (indent.length > 0) {
        throw new CellSyntaxError(
          trans.__(
            'an indented line: the builder reads top-level statements only'
          ),
          line
        );
      }
      if (after === '!' || after === '%') {
        throw new CellSyntaxError(
          trans.__(
            'IPython magics and shell commands (%1…) are not part of a query cell',
            after
          ),
          line
        );
      }
      lineStart = false;
    }
    const rest = text.slice(pos);
    const char = text[pos];
    if (char === '#') {
      const end = text.indexOf('\n', pos);
      pos = end === -1 ? text.length : end;
      continue;
    }
    if (char === '\\' && text[pos + 1] === '\n') {
      pos += 2;
      line++;
      continue;
    }
    if (char === '\n') {
      if (brackets.length === 0) {
        if (tokens.length > 0 && tokens[tokens.length - 1].type !== 'newline') {
          push('newline', '\n');
        }
        lineStart = true;
      }
      pos++;
      line++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\f') {
      pos++;
      continue;
    }
    const start = STRING_START.exec(rest);
    if (start) {
      const prefix = (start[1] ?? '').toLowerCase();
      const quote = start[2];
      if (prefix.includes('b')) {
        throw new CellSyntaxError(
          trans.__('byte strings (b"…") are not read: use a plain string'),
          line
        );
      }
      if (prefix.includes('f')) {
        throw new CellSyntaxError(
          trans.__('f-strings are not read: write the value itself'),
          line
        );
      }
      const raw = prefix.includes('r');
      const triple = quote.length === 3;
      let i = pos + start[0].length;
      let body = '';
      const startLine = line;
      for (;;) {
        if (i >= text.length) {
          throw new CellSyntaxError(
            trans.__('a string that is never closed'),
            startLine
          );
        }
        if (text.startsWith(quote, i)) {
          i += quote.length;
          break;
        }
        const c = text[i];
        if (c === '\n') {
          if (!triple) {
            throw new CellSyntaxError(
              trans.__('a string that is not closed on its line'),
              startLine
            );
          }
          line++;
        }
        if (c === '\\' && i + 1 < text.length) {
          if (text[i + 1] === '\n') {
            line++;
          }
          body += c + text[i + 1];
          i += 2;
          continue;
        }
        body += c;
        i++;
      }
      const value = raw ? body : decodeEscapes(body, startLine, trans);
      push('string', text.slice(pos, i), value, startLine);
      pos = i;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      push('name', name[0]);
      pos += name[0].length;
      continue;
    }
    const number = /^\.?\d/.test(rest) ? NUMBER.exec(rest) : null;
    if (number) {
      push('number', number[0]);
      pos += number[0].length;
      continue;
    }
    const op = OPERATORS.exec(rest);
    if (op) {
      const symbol = op[0];
      if ('([{'.includes(symbol)) {
        brackets.push({ char: symbol, line });
      } else if (symbol in CLOSE) {
        const open = brackets.pop();
        if (!open || open.char !== CLOSE[symbol]) {
          throw new CellSyntaxError(
            trans.__('"%1" closes no bracket', symbol),
            line
          );
        }
      }
      push('op', symbol);
      pos += symbol.length;
      continue;
    }
    throw new CellSyntaxError(
      trans.__('the character "%1" is not read here', char),
      line
    );
  }
  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1];
    throw new CellSyntaxError(
      trans.__('the "%1" opened here is never closed', open.char),
      open.line
    );
  }
  if (tokens.length > 0 && tokens[tokens.length - 1].type !== 'newline') {
    push('newline', '\n');
  }
  push('eof', '');
  return tokens;
}
