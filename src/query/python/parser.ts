/**
 * The syntax tree of the small part of Python an SDK cell is written in, and
 * the parser from tokens to top-level statements (imports, assignments to a
 * name, expressions: literals, names, attributes and calls). Anything else
 * (computed values, comprehensions, unpacking, compound statements) is
 * refused with the line and the construct. Pure.
 */
import type { Translate } from '../../common/translate';
import { CellSyntaxError, IToken } from './tokens';

export type Node =
  | { type: 'str'; value: string; line: number }
  | { type: 'num'; text: string; line: number }
  | { type: 'const'; value: boolean | null; line: number }
  | { type: 'name'; name: string; line: number }
  | { type: 'list'; items: Node[]; tuple: boolean; line: number }
  | { type: 'dict'; entries: [Node, Node][]; line: number }
  | { type: 'attr'; object: Node; name: string; line: number }
  | {
      type: 'call';
      callee: Node;
      args: Node[];
      kwargs: [string, Node][];
      line: number;
    };

export type Statement =
  | {
      type: 'import';
      module: string;
      names: [string, string][] | null;
      alias: string;
      line: number;
    }
  | { type: 'assign'; target: string; value: Node; line: number }
  | { type: 'expr'; value: Node; line: number };

const KEYWORDS = new Set(
  (
    'and as assert async await break class continue def del elif else except finally for global ' +
    'if in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' ')
);

export class Parser {
  constructor(
    private readonly tokens: IToken[],
    private readonly trans: Translate
  ) {}

  statements(): Statement[] {
    const out: Statement[] = [];
    while (this.peek().type !== 'eof') {
      if (this.isOp(';') || this.peek().type === 'newline') {
        this.pos++;
        continue;
      }
      out.push(this.statement());
      const end = this.peek();
      if (end.type === 'newline' || this.isOp(';')) {
        this.pos++;
      } else if (end.type !== 'eof') {
        throw this.unexpected(end);
      }
    }
    return out;
  }

  private statement(): Statement {
    const first = this.peek();
    if (
      first.type === 'name' &&
      (first.text === 'from' || first.text === 'import')
    ) {
      return this.importStatement();
    }
    if (first.type === 'name' && KEYWORDS.has(first.text)) {
      throw new CellSyntaxError(
        this.trans.__(
          '"%1" statements are not part of a query cell the builder writes; move them to another cell',
          first.text
        ),
        first.line
      );
    }
    const next = this.tokens[this.pos + 1];
    if (first.type === 'name' && next?.type === 'op' && next.text === '=') {
      this.pos += 2;
      const value = this.expression();
      if (this.isOp('=')) {
        throw new CellSyntaxError(
          this.trans.__('chained assignments (a = b = …) are not read'),
          first.line
        );
      }
      return { type: 'assign', target: first.text, value, line: first.line };
    }
    const value = this.expression();
    if (
      this.peek().type === 'op' &&
      /^([-+*/%&|^@]|\*\*|\/\/|<<|>>)?=$/.test(this.peek().text)
    ) {
      throw new CellSyntaxError(
        this.trans.__('only assignments to a plain name (x = …) are read'),
        first.line
      );
    }
    return { type: 'expr', value, line: first.line };
  }

  private importStatement(): Statement {
    const first = this.next();
    const module = this.dotted();
    if (first.text === 'import') {
      let alias = module.split('.')[0];
      if (this.isName('as')) {
        this.pos++;
        alias = this.expectName();
      }
      return { type: 'import', module, names: null, alias, line: first.line };
    }
    if (!this.isName('import')) {
      throw this.unexpected(this.peek());
    }
    this.pos++;
    const parenthesized = this.isOp('(');
    if (parenthesized) {
      this.pos++;
    }
    const names: [string, string][] = [];
    for (;;) {
      if (this.isOp('*')) {
        throw new CellSyntaxError(
          this.trans.__('"import *" is not read: import rqs by name'),
          first.line
        );
      }
      const name = this.expectName();
      let alias = name;
      if (this.isName('as')) {
        this.pos++;
        alias = this.expectName();
      }
      names.push([name, alias]);
      if (!this.isOp(',')) {
        break;
      }
      this.pos++;
      if (parenthesized && this.isOp(')')) {
        break;
      }
    }
    if (parenthesized) {
      this.expectOp(')');
    }
    return { type: 'import', module, names, alias: '', line: first.line };
  }

  private dotted(): string {
    let name = this.expectName();
    while (this.isOp('.')) {
      this.pos++;
      name += '.' + this.expectName();
    }
    return name;
  }

  expression(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.pos++;
        const name = this.expectName();
        node = { type: 'attr', object: node, name, line: node.line };
      } else if (this.isOp('(')) {
        node = this.call(node);
      } else if (this.isOp('[')) {
        throw new CellSyntaxError(
          this.trans.__('indexing or slicing ([…] after a value) is not read'),
          this.peek().line
        );
      } else {
        break;
      }
    }
    const after = this.peek();
    if (
      after.type === 'op' &&
      [
        '+',
        '-',
        '*',
        '/',
        '%',
        '**',
        '//',
        '|',
        '&',
        '^',
        '<',
        '>',
        '==',
        '!=',
        '<=',
        '>=',
        '@'
      ].includes(after.text)
    ) {
      throw new CellSyntaxError(
        this.trans.__(
          'a computed value ("%1") is not read: write the value itself',
          after.text
        ),
        after.line
      );
    }
    if (after.type === 'name' && after.text === 'for') {
      throw new CellSyntaxError(
        this.trans.__('comprehensions are not read: list the values'),
        after.line
      );
    }
    if (
      after.type === 'name' &&
      ['if', 'and', 'or', 'in', 'is', 'not'].includes(after.text)
    ) {
      throw new CellSyntaxError(
        this.trans.__(
          'a computed value ("%1") is not read: write the value itself',
          after.text
        ),
        after.line
      );
    }
    return node;
  }

  private primary(): Node {
    const token = this.next();
    switch (token.type) {
      case 'string': {
        let value = token.value ?? '';
        while (this.peek().type === 'string') {
          value += this.next().value ?? '';
        }
        return { type: 'str', value, line: token.line };
      }
      case 'number':
        return { type: 'num', text: token.text, line: token.line };
      case 'name':
        if (token.text === 'True' || token.text === 'False') {
          return {
            type: 'const',
            value: token.text === 'True',
            line: token.line
          };
        }
        if (token.text === 'None') {
          return { type: 'const', value: null, line: token.line };
        }
        if (token.text === 'lambda' || KEYWORDS.has(token.text)) {
          throw this.unexpected(token);
        }
        return { type: 'name', name: token.text, line: token.line };
      case 'op':
        if (token.text === '-' || token.text === '+') {
          const operand = this.peek();
          if (operand.type === 'number') {
            this.pos++;
            return {
              type: 'num',
              text: (token.text === '-' ? '-' : '') + operand.text,
              line: token.line
            };
          }
        }
        if (token.text === '[') {
          return {
            type: 'list',
            items: this.sequence(']'),
            tuple: false,
            line: token.line
          };
        }
        if (token.text === '(') {
          const items = this.sequence(')');
          const single =
            items.length === 1 && this.tokens[this.pos - 2]?.text !== ',';
          return single
            ? items[0]
            : { type: 'list', items, tuple: true, line: token.line };
        }
        if (token.text === '{') {
          return this.dict(token);
        }
        throw this.unexpected(token);
      default:
        throw this.unexpected(token);
    }
  }

  private sequence(close: string): Node[] {
    const items: Node[] = [];
    while (!this.isOp(close)) {
      if (this.isOp('*')) {
        throw new CellSyntaxError(
          this.trans.__('unpacking (*…) is not read'),
          this.peek().line
        );
      }
      items.push(this.expression());
      if (this.isOp(',')) {
        this.pos++;
      } else if (!this.isOp(close)) {
        throw this.unexpected(this.peek());
      }
    }
    this.pos++;
    return items;
  }

  private dict(open: IToken): Node {
    const entries: [Node, Node][] = [];
    while (!this.isOp('}')) {
      if (this.isOp('**')) {
        throw new CellSyntaxError(
          this.trans.__('unpacking (**…) is not read'),
          this.peek().line
        );
      }
      const key = this.expression();
      if (!this.isOp(':')) {
        throw new CellSyntaxError(
          this.trans.__('sets ({…} without keys) are not read'),
          key.line
        );
      }
      this.pos++;
      entries.push([key, this.expression()]);
      if (this.isOp(',')) {
        this.pos++;
      } else if (!this.isOp('}')) {
        throw this.unexpected(this.peek());
      }
    }
    this.pos++;
    return { type: 'dict', entries, line: open.line };
  }

  private call(callee: Node): Node {
    const open = this.next();
    const args: Node[] = [];
    const kwargs: [string, Node][] = [];
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) {
        throw new CellSyntaxError(
          this.trans.__('unpacking (*args, **kwargs) is not read'),
          this.peek().line
        );
      }
      const token = this.peek();
      const next = this.tokens[this.pos + 1];
      if (token.type === 'name' && next?.type === 'op' && next.text === '=') {
        this.pos += 2;
        if (kwargs.some(([name]) => name === token.text)) {
          throw new CellSyntaxError(
            this.trans.__('the argument %1 is given twice', token.text),
            token.line
          );
        }
        kwargs.push([token.text, this.expression()]);
      } else {
        if (kwargs.length > 0) {
          throw new CellSyntaxError(
            this.trans.__('a positional argument after keyword arguments'),
            token.line
          );
        }
        args.push(this.expression());
      }
      if (this.isOp(',')) {
        this.pos++;
      } else if (!this.isOp(')')) {
        throw this.unexpected(this.peek());
      }
    }
    this.pos++;
    return { type: 'call', callee, args, kwargs, line: open.line };
  }

  private peek(): IToken {
    return this.tokens[this.pos];
  }

  private next(): IToken {
    return this.tokens[this.pos++];
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.text === text;
  }

  private isName(text: string): boolean {
    const token = this.peek();
    return token.type === 'name' && token.text === text;
  }

  private expectName(): string {
    const token = this.next();
    if (token.type !== 'name') {
      throw this.unexpected(token);
    }
    return token.text;
  }

  private expectOp(text: string): void {
    const token = this.next();
    if (token.type !== 'op' || token.text !== text) {
      throw this.unexpected(token);
    }
  }

  private unexpected(token: IToken): CellSyntaxError {
    const shown =
      token.type === 'newline'
        ? this.trans.__('the end of the line')
        : token.type === 'eof'
          ? this.trans.__('the end of the cell')
          : `"${token.text.length > 20 ? token.text.slice(0, 17) + '...' : token.text}"`;
    return new CellSyntaxError(
      this.trans.__('%1 is not expected here', shown),
      token.line
    );
  }

  private pos = 0;
}
