/**
 * Python string literals: what the generator writes and the parser reads.
 * Pure.
 */

/**
 * A Python string literal for `text` with the given quote. Escapes the
 * backslash, the quote, control characters, the Unicode line separators and
 * lone surrogates, so any JavaScript string survives `parse(generate(x))` and
 * the cell stays valid UTF-8 source.
 */
export function pythonString(text: string, quote: '"' | "'" = '"'): string {
  let out = quote;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i];
    if (char === '\\') {
      out += '\\\\';
    } else if (char === quote) {
      out += '\\' + quote;
    } else if (char === '\n') {
      out += '\\n';
    } else if (char === '\r') {
      out += '\\r';
    } else if (char === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
      out += '\\x' + code.toString(16).padStart(2, '0');
    } else if (code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += char + text[i + 1];
        i++;
      } else {
        out += '\\u' + code.toString(16);
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      out += '\\u' + code.toString(16);
    } else {
      out += char;
    }
  }
  return out + quote;
}
