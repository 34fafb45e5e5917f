/**
 * Read an SDK cell back into a query: the inverse of `generateCell`, and
 * forgiving of what people change by hand (quotes, spacing, comments, the
 * arguments written inline, variable names, any case of the operators).
 * Anything the builder could not write back without losing it (other
 * statements, computed values, start_date, …) is refused with the line and
 * the construct. Pure: no DOM.
 *
 * For every valid query q: parseCell(generateCell(q)) gives q back.
 */
import { CATEGORIES, isCategory, QUERY_LIMITS } from './catalogue';
import type { ResultOutput } from './generate';
import type { ICondition, IConditionGroup, IQuery } from './model';
import { CellSyntaxError, IToken, tokenize } from './python-tokens';
import { plainTranslate, Translate } from '../common/translate';

/** How the cell shows its result: `print(data)`, `data`, or not at all. */
export type CellOutput = ResultOutput | 'none';

export type ParseResult =
  | { ok: true; query: IQuery; output: CellOutput }
  | {
      ok: false;
      /** What cannot be read and what to do, starting with the line when known. */
      reason: string;
      line: number | null;
    };

// ---------------------------------------------------------------- syntax tree

type Node =
  | { type: 'str'; value: string; line: number }
  | { type: 'num'; text: string; line: number }
  | { type: 'const'; value: boolean | null; line: number }
  | { type: 'name'; name: string; line: number }
  | { type: 'list'; items: Node[]; tuple: boolean; line: number }
  | { type: 'dict'; entries: [Node, Node][]; line: number }
  | { type: 'attr'; object: Node; name: string; line: number }
  | { type: 'call'; callee: Node; args: Node[]; kwargs: [string, Node][]; line: number };

type Statement =
  | { type: 'import'; module: string; names: [string, string][] | null; alias: string; line: number }
  | { type: 'assign'; target: string; value: Node; line: number }
  | { type: 'expr'; value: Node; line: number };

const KEYWORDS = new Set(
  ('and as assert async await break class continue def del elif else except finally for global ' +
    'if in is lambda nonlocal not or pass raise return try while with yield').split(' ')
);

class Parser {
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
    if (first.type === 'name' && (first.text === 'from' || first.text === 'import')) {
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
    if (this.peek().type === 'op' && /^([-+*/%&|^@]|\*\*|\/\/|<<|>>)?=$/.test(this.peek().text)) {
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
        throw new CellSyntaxError(this.trans.__('"import *" is not read: import rqs by name'), first.line);
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
    if (after.type === 'op' && ['+', '-', '*', '/', '%', '**', '//', '|', '&', '^', '<', '>', '==', '!=', '<=', '>=', '@'].includes(after.text)) {
      throw new CellSyntaxError(
        this.trans.__('a computed value ("%1") is not read: write the value itself', after.text),
        after.line
      );
    }
    if (after.type === 'name' && after.text === 'for') {
      throw new CellSyntaxError(this.trans.__('comprehensions are not read: list the values'), after.line);
    }
    if (after.type === 'name' && ['if', 'and', 'or', 'in', 'is', 'not'].includes(after.text)) {
      throw new CellSyntaxError(
        this.trans.__('a computed value ("%1") is not read: write the value itself', after.text),
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
          return { type: 'const', value: token.text === 'True', line: token.line };
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
          return { type: 'list', items: this.sequence(']'), tuple: false, line: token.line };
        }
        if (token.text === '(') {
          const items = this.sequence(')');
          const single = items.length === 1 && this.tokens[this.pos - 2]?.text !== ',';
          return single ? items[0] : { type: 'list', items, tuple: true, line: token.line };
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
        throw new CellSyntaxError(this.trans.__('unpacking (*…) is not read'), this.peek().line);
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
        throw new CellSyntaxError(this.trans.__('unpacking (**…) is not read'), this.peek().line);
      }
      const key = this.expression();
      if (!this.isOp(':')) {
        throw new CellSyntaxError(this.trans.__('sets ({…} without keys) are not read'), key.line);
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
        throw new CellSyntaxError(this.trans.__('unpacking (*args, **kwargs) is not read'), this.peek().line);
      }
      const token = this.peek();
      const next = this.tokens[this.pos + 1];
      if (token.type === 'name' && next?.type === 'op' && next.text === '=') {
        this.pos += 2;
        if (kwargs.some(([name]) => name === token.text)) {
          throw new CellSyntaxError(this.trans.__('the argument %1 is given twice', token.text), token.line);
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
      token.type === 'newline' ? this.trans.__('the end of the line') :
      token.type === 'eof' ? this.trans.__('the end of the cell') :
      `"${token.text.length > 20 ? token.text.slice(0, 17) + '...' : token.text}"`;
    return new CellSyntaxError(this.trans.__('%1 is not expected here', shown), token.line);
  }

  private pos = 0;
}

// ------------------------------------------------------------------ evaluation

type Value =
  | { kind: 'str'; value: string; line: number }
  | { kind: 'int'; value: bigint; line: number }
  | { kind: 'float'; text: string; line: number }
  | { kind: 'bool'; value: boolean; line: number }
  | { kind: 'none'; line: number }
  | { kind: 'list'; items: Value[]; line: number }
  | { kind: 'dict'; entries: [Value, Value][]; line: number }
  | { kind: 'module'; line: number }
  | { kind: 'client-class'; line: number }
  | { kind: 'client'; line: number }
  | { kind: 'result'; line: number }
  | { kind: 'builtin'; name: string; line: number };

interface IBinding {
  value: Value;
  line: number;
  used: boolean;
}

/** The query() parameters, in positional order. */
const QUERY_PARAMETERS = ['category', 'condition_groups', 'fields', 'limit'];

class Reader {
  constructor(private readonly trans: Translate) {}

  read(statements: Statement[]): ParseResult {
    for (const statement of statements) {
      this.statement(statement);
    }
    if (!this.query) {
      throw new CellSyntaxError(
        this.trans.__(
          'This cell has no client.query(…) call: the builder reads cells that query with the SDK (from pyrqs import rqs).'
        ),
        null
      );
    }
    for (const [name, binding] of this.names) {
      if (!binding.used && !['module', 'client-class', 'result'].includes(binding.value.kind)) {
        throw new CellSyntaxError(
          this.trans.__(
            '"%1" is set but the query does not use it; the builder would drop it. Move it to another cell.',
            name
          ),
          binding.line
        );
      }
    }
    return { ok: true, query: this.query, output: this.output ?? 'none' };
  }

  private statement(statement: Statement): void {
    switch (statement.type) {
      case 'import':
        return this.importStatement(statement);
      case 'assign': {
        if (this.query) {
          const value = statement.value;
          const isQueryCall = value.type === 'call' && this.isQueryCallee(value.callee);
          if (!isQueryCall) {
            throw new CellSyntaxError(
              this.trans.__(
                'the assignment to "%1" after the query is not part of a query cell; move it to another cell',
                statement.target
              ),
              statement.line
            );
          }
        }
        const previous = this.names.get(statement.target);
        if (previous && !previous.used && previous.value.kind !== 'module') {
          throw new CellSyntaxError(
            this.trans.__('"%1" is set twice; the builder keeps one value. Remove one of them.', statement.target),
            statement.line
          );
        }
        const value = this.evaluate(statement.value, 'assign');
        this.names.set(statement.target, { value, line: statement.line, used: false });
        return;
      }
      case 'expr':
        return this.expressionStatement(statement.value);
    }
  }

  private importStatement(statement: Extract<Statement, { type: 'import' }>): void {
    const line = statement.line;
    if (statement.names === null) {
      if (statement.module === 'pyrqs.rqs' && statement.alias !== 'pyrqs') {
        this.bind(statement.alias, { kind: 'module', line });
        return;
      }
      if (statement.module === 'pyrqs.rqs' || statement.module === 'pyrqs') {
        throw new CellSyntaxError(
          this.trans.__('write "from pyrqs import rqs", as the guide does'),
          line
        );
      }
    } else if (statement.module === 'pyrqs') {
      for (const [name, alias] of statement.names) {
        if (name !== 'rqs') {
          throw new CellSyntaxError(this.trans.__('pyrqs has no "%1" the builder knows: import rqs', name), line);
        }
        this.bind(alias, { kind: 'module', line });
      }
      return;
    } else if (statement.module === 'pyrqs.rqs') {
      for (const [name, alias] of statement.names) {
        if (name !== 'RQSClient') {
          throw new CellSyntaxError(
            this.trans.__('"%1" from pyrqs.rqs is not part of a query cell', name),
            line
          );
        }
        this.bind(alias, { kind: 'client-class', line });
      }
      return;
    }
    throw new CellSyntaxError(
      this.trans.__(
        'the import of "%1" is not part of a query cell the builder writes; move it to another cell',
        statement.module
      ),
      line
    );
  }

  private bind(name: string, value: Value): void {
    this.names.set(name, { value, line: value.line, used: false });
  }

  private expressionStatement(node: Node): void {
    if (node.type === 'call' && node.callee.type === 'name' && ['print', 'display'].includes(node.callee.name) && !this.names.has(node.callee.name)) {
      if (node.args.length !== 1 || node.kwargs.length > 0) {
        throw new CellSyntaxError(
          this.trans.__('%1(…) of anything but the query result is not part of a query cell', node.callee.name),
          node.line
        );
      }
      const value = this.evaluate(node.args[0], 'output');
      if (value.kind !== 'result') {
        throw new CellSyntaxError(
          this.trans.__('%1(…) of anything but the query result is not part of a query cell', node.callee.name),
          node.line
        );
      }
      this.setOutput(node.callee.name === 'print' ? 'print' : 'display', node.line);
      return;
    }
    const value = this.evaluate(node, 'output');
    if (value.kind === 'result') {
      this.setOutput('display', node.line);
      return;
    }
    throw new CellSyntaxError(
      this.trans.__('this line is not part of a query cell the builder writes; move it to another cell'),
      node.line
    );
  }

  private setOutput(output: ResultOutput, line: number): void {
    if (this.output) {
      throw new CellSyntaxError(
        this.trans.__('the result is shown twice; the builder writes it once'),
        line
      );
    }
    this.output = output;
  }

  private isQueryCallee(callee: Node): boolean {
    return callee.type === 'attr' && callee.name === 'query';
  }

  private evaluate(node: Node, context: 'assign' | 'output' | 'value'): Value {
    switch (node.type) {
      case 'str':
        return { kind: 'str', value: node.value, line: node.line };
      case 'num':
        return /^-?\d[\d_]*$/.test(node.text) || /^0[xob]/i.test(node.text)
          ? { kind: 'int', value: parseInteger(node.text), line: node.line }
          : { kind: 'float', text: node.text, line: node.line };
      case 'const':
        return node.value === null
          ? { kind: 'none', line: node.line }
          : { kind: 'bool', value: node.value, line: node.line };
      case 'list':
        return { kind: 'list', items: node.items.map(item => this.evaluate(item, 'value')), line: node.line };
      case 'dict':
        return {
          kind: 'dict',
          entries: node.entries.map(([key, value]) => [this.evaluate(key, 'value'), this.evaluate(value, 'value')]),
          line: node.line
        };
      case 'name': {
        const binding = this.names.get(node.name);
        if (!binding) {
          if (node.name === 'rqs') {
            throw new CellSyntaxError(
              this.trans.__('"rqs" is not defined: the cell needs "from pyrqs import rqs"'),
              node.line
            );
          }
          throw new CellSyntaxError(
            this.trans.__('"%1" is not defined in this cell', node.name),
            node.line
          );
        }
        binding.used = true;
        return binding.value;
      }
      case 'attr': {
        const object = this.evaluate(node.object, 'value');
        if (object.kind === 'module' && node.name === 'RQSClient') {
          return { kind: 'client-class', line: node.line };
        }
        if (object.kind === 'client' && node.name === 'query') {
          return { kind: 'builtin', name: 'query', line: node.line };
        }
        throw new CellSyntaxError(
          object.kind === 'client'
            ? this.trans.__('client.%1 is not read: the builder writes client.query(…)', node.name)
            : this.trans.__('".%1" is not part of a query cell the builder writes', node.name),
          node.line
        );
      }
      case 'call': {
        const callee = this.evaluate(node.callee, 'value');
        if (callee.kind === 'client-class') {
          if (node.args.length > 0 || node.kwargs.length > 0) {
            throw new CellSyntaxError(
              this.trans.__(
                'RQSClient(…) with arguments is not read: the builder writes RQSClient(), which reads the credentials from the environment'
              ),
              node.line
            );
          }
          return { kind: 'client', line: node.line };
        }
        if (callee.kind === 'builtin' && callee.name === 'query') {
          if (context === 'value') {
            throw new CellSyntaxError(
              this.trans.__('client.query(…) inside another expression is not read'),
              node.line
            );
          }
          this.queryCall(node);
          return { kind: 'result', line: node.line };
        }
        throw new CellSyntaxError(
          this.trans.__('this call is not part of a query cell the builder writes; move it to another cell'),
          node.line
        );
      }
    }
  }

  private queryCall(node: Extract<Node, { type: 'call' }>): void {
    if (this.query) {
      throw new CellSyntaxError(
        this.trans.__('a second client.query(…): the builder reads one query a cell'),
        node.line
      );
    }
    if (node.args.length > QUERY_PARAMETERS.length) {
      throw new CellSyntaxError(
        this.trans.__('client.query(…) takes category, condition_groups, fields and limit'),
        node.line
      );
    }
    const given = new Map<string, Value>();
    node.args.forEach((arg, index) => given.set(QUERY_PARAMETERS[index], this.evaluate(arg, 'value')));
    for (const [name, arg] of node.kwargs) {
      if (name === 'start_date' || name === 'end_date') {
        throw new CellSyntaxError(
          this.trans.__(
            '%1 is not set by the builder: remove it and use a create_time condition (YYYYMMDD) instead',
            name
          ),
          arg.line
        );
      }
      if (!QUERY_PARAMETERS.includes(name)) {
        throw new CellSyntaxError(
          this.trans.__('client.query(…) has no argument "%1"; it takes %2', name, QUERY_PARAMETERS.join(', ')),
          arg.line
        );
      }
      if (given.has(name)) {
        throw new CellSyntaxError(this.trans.__('the argument %1 is given twice', name), arg.line);
      }
      given.set(name, this.evaluate(arg, 'value'));
    }
    const category = given.get('category');
    if (!category) {
      throw new CellSyntaxError(this.trans.__('client.query(…) has no category'), node.line);
    }
    this.query = {
      category: this.category(category),
      groups: this.groups(given.get('condition_groups')),
      fields: this.fields(given.get('fields')),
      limit: this.limit(given.get('limit'))
    };
  }

  private category(value: Value): IQuery['category'] {
    if (value.kind !== 'str') {
      throw this.wrongType('category', this.trans.__('a string such as \'video\''), value);
    }
    const name = value.value.trim().toLowerCase();
    if (!isCategory(name)) {
      throw new CellSyntaxError(
        this.trans.__('category "%1" is not one of %2', value.value, CATEGORIES.join(', ')),
        value.line
      );
    }
    return name;
  }

  private groups(value: Value | undefined): IConditionGroup[] {
    if (value === undefined || value.kind === 'none') {
      return [];
    }
    if (value.kind !== 'list') {
      throw this.wrongType('condition_groups', this.trans.__('a list of {"operator", "conditions"}'), value);
    }
    return value.items.map((item, index) => {
      const where = `condition_groups[${index}]`;
      const entries = this.dictEntries(item, where, ['operator', 'conditions']);
      const operator = entries.get('operator');
      if (!operator) {
        throw new CellSyntaxError(this.trans.__('%1 has no "operator" (and, or or not)', where), item.line);
      }
      if (operator.kind !== 'str') {
        throw this.wrongType(`${where}["operator"]`, this.trans.__('"and", "or" or "not"'), operator);
      }
      const conditions = entries.get('conditions');
      if (!conditions) {
        throw new CellSyntaxError(this.trans.__('%1 has no "conditions"', where), item.line);
      }
      if (conditions.kind !== 'list') {
        throw this.wrongType(`${where}["conditions"]`, this.trans.__('a list of conditions'), conditions);
      }
      return {
        operator: operator.value.trim().toLowerCase(),
        conditions: conditions.items.map((condition, at) =>
          this.condition(condition, `${where}["conditions"][${at}]`)
        )
      };
    });
  }

  private condition(value: Value, where: string): ICondition {
    const entries = this.dictEntries(value, where, ['field', 'operator', 'field_values']);
    const field = entries.get('field');
    const operator = entries.get('operator');
    const values = entries.get('field_values');
    for (const [key, found] of [['field', field], ['operator', operator], ['field_values', values]] as const) {
      if (!found) {
        throw new CellSyntaxError(this.trans.__('%1 has no "%2"', where, key), value.line);
      }
    }
    if (field!.kind !== 'str') {
      throw this.wrongType(`${where}["field"]`, this.trans.__('a field name in quotes'), field!);
    }
    if (operator!.kind !== 'str') {
      throw this.wrongType(`${where}["operator"]`, this.trans.__('an operation in quotes, e.g. "gte"'), operator!);
    }
    if (values!.kind !== 'list') {
      throw this.wrongType(`${where}["field_values"]`, this.trans.__('a list of strings, e.g. ["10"]'), values!);
    }
    return {
      field: field!.value,
      operation: operator!.value.trim().toUpperCase(),
      values: values!.items.map(item => {
        if (item.kind !== 'str') {
          throw new CellSyntaxError(
            this.trans.__(
              '%1["field_values"] holds %2; the SDK sends strings: write it in quotes, e.g. "10"',
              where,
              describe(item, this.trans)
            ),
            item.line
          );
        }
        return item.value;
      })
    };
  }

  private dictEntries(value: Value, where: string, keys: string[]): Map<string, Value> {
    if (value.kind !== 'dict') {
      throw this.wrongType(where, this.trans.__('a dict {…}'), value);
    }
    const entries = new Map<string, Value>();
    for (const [key, item] of value.entries) {
      if (key.kind !== 'str' || !keys.includes(key.value)) {
        throw new CellSyntaxError(
          this.trans.__(
            '%1 has an unknown key %2: it takes %3',
            where,
            key.kind === 'str' ? `"${key.value}"` : describe(key, this.trans),
            keys.join(', ')
          ),
          key.line
        );
      }
      if (entries.has(key.value)) {
        throw new CellSyntaxError(this.trans.__('%1 has the key "%2" twice', where, key.value), key.line);
      }
      entries.set(key.value, item);
    }
    return entries;
  }

  private fields(value: Value | undefined): string[] {
    if (value === undefined || value.kind === 'none') {
      return [];
    }
    const names =
      value.kind === 'str'
        ? value.value.split(',')
        : value.kind === 'list'
          ? value.items.map(item => {
              if (item.kind !== 'str') {
                throw this.wrongType('fields', this.trans.__('field names in quotes'), item);
              }
              return item.value;
            })
          : null;
    if (names === null) {
      throw this.wrongType('fields', this.trans.__("a comma-separated string such as 'id,create_time'"), value);
    }
    return names.map(name => name.trim()).filter(name => name.length > 0);
  }

  private limit(value: Value | undefined): number {
    if (value === undefined || value.kind === 'none') {
      return QUERY_LIMITS.test.defaultLimit;
    }
    if (value.kind !== 'int') {
      throw this.wrongType('limit', this.trans.__('a whole number such as 10'), value);
    }
    if (value.value > BigInt(Number.MAX_SAFE_INTEGER) || value.value < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CellSyntaxError(this.trans.__('limit %1 is far too large', value.value.toString()), value.line);
    }
    return Number(value.value);
  }

  private wrongType(what: string, expected: string, value: Value): CellSyntaxError {
    return new CellSyntaxError(
      this.trans.__('%1 is %2; the builder reads %3', what, describe(value, this.trans), expected),
      value.line
    );
  }

  private readonly names = new Map<string, IBinding>();
  private query: IQuery | null = null;
  private output: ResultOutput | null = null;
}

function parseInteger(text: string): bigint {
  const clean = text.replace(/_/g, '');
  const negative = clean.startsWith('-');
  const digits = negative ? clean.slice(1) : clean;
  const value = BigInt(digits);
  return negative ? -value : value;
}

function describe(value: Value, trans: Translate): string {
  switch (value.kind) {
    case 'str':
      return trans.__('the string "%1"', value.value);
    case 'int':
      return trans.__('the number %1', value.value.toString());
    case 'float':
      return trans.__('the number %1', value.text);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return trans.__('a list');
    case 'dict':
      return trans.__('a dict');
    default:
      return trans.__('an SDK object');
  }
}

/**
 * Read an SDK cell into a query. Never throws: a cell it cannot read gives
 * the reason, starting with "Line N:" when a line is to blame.
 */
export function parseCell(source: string, trans: Translate = plainTranslate): ParseResult {
  try {
    const statements = new Parser(tokenize(source, trans), trans).statements();
    return new Reader(trans).read(statements);
  } catch (error) {
    if (error instanceof CellSyntaxError) {
      return {
        ok: false,
        line: error.line,
        reason: error.line === null ? error.message : trans.__('Line %1: %2.', error.line, error.message.replace(/\.$/, ''))
      };
    }
    return {
      ok: false,
      line: null,
      reason: trans.__('The cell could not be read: %1', error instanceof Error ? error.message : String(error))
    };
  }
}

/**
 * Whether a cell looks like an SDK query cell (cheap: for showing the
 * "Edit in Query Builder" command, not for reading it).
 */
export function looksLikeQueryCell(source: string): boolean {
  return /\bpyrqs\b/.test(source) && /\.query\s*\(/.test(source);
}
