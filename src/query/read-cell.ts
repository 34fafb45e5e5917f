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
import type { ResultOutput } from './generate';
import type { IQuery } from './model';
import { Node, Parser, Statement } from './python/parser';
import { CellSyntaxError, tokenize } from './python/tokens';
import { QueryArguments, type Value } from './read-arguments';
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

// ------------------------------------------------------------------ evaluation

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
      if (
        !binding.used &&
        !['module', 'client-class', 'result'].includes(binding.value.kind)
      ) {
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
          const isQueryCall =
            value.type === 'call' && this.isQueryCallee(value.callee);
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
            this.trans.__(
              '"%1" is set twice; the builder keeps one value. Remove one of them.',
              statement.target
            ),
            statement.line
          );
        }
        const value = this.evaluate(statement.value, 'assign');
        this.names.set(statement.target, {
          value,
          line: statement.line,
          used: false
        });
        return;
      }
      case 'expr':
        return this.expressionStatement(statement.value);
    }
  }

  private importStatement(
    statement: Extract<Statement, { type: 'import' }>
  ): void {
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
          throw new CellSyntaxError(
            this.trans.__(
              'pyrqs has no "%1" the builder knows: import rqs',
              name
            ),
            line
          );
        }
        this.bind(alias, { kind: 'module', line });
      }
      return;
    } else if (statement.module === 'pyrqs.rqs') {
      for (const [name, alias] of statement.names) {
        if (name !== 'RQSClient') {
          throw new CellSyntaxError(
            this.trans.__(
              '"%1" from pyrqs.rqs is not part of a query cell',
              name
            ),
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
    if (
      node.type === 'call' &&
      node.callee.type === 'name' &&
      ['print', 'display'].includes(node.callee.name) &&
      !this.names.has(node.callee.name)
    ) {
      if (node.args.length !== 1 || node.kwargs.length > 0) {
        throw new CellSyntaxError(
          this.trans.__(
            '%1(…) of anything but the query result is not part of a query cell',
            node.callee.name
          ),
          node.line
        );
      }
      const value = this.evaluate(node.args[0], 'output');
      if (value.kind !== 'result') {
        throw new CellSyntaxError(
          this.trans.__(
            '%1(…) of anything but the query result is not part of a query cell',
            node.callee.name
          ),
          node.line
        );
      }
      this.setOutput(
        node.callee.name === 'print' ? 'print' : 'display',
        node.line
      );
      return;
    }
    const value = this.evaluate(node, 'output');
    if (value.kind === 'result') {
      this.setOutput('display', node.line);
      return;
    }
    throw new CellSyntaxError(
      this.trans.__(
        'this line is not part of a query cell the builder writes; move it to another cell'
      ),
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
        return {
          kind: 'list',
          items: node.items.map(item => this.evaluate(item, 'value')),
          line: node.line
        };
      case 'dict':
        return {
          kind: 'dict',
          entries: node.entries.map(([key, value]) => [
            this.evaluate(key, 'value'),
            this.evaluate(value, 'value')
          ]),
          line: node.line
        };
      case 'name': {
        const binding = this.names.get(node.name);
        if (!binding) {
          if (node.name === 'rqs') {
            throw new CellSyntaxError(
              this.trans.__(
                '"rqs" is not defined: the cell needs "from pyrqs import rqs"'
              ),
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
            ? this.trans.__(
                'client.%1 is not read: the builder writes client.query(…)',
                node.name
              )
            : this.trans.__(
                '".%1" is not part of a query cell the builder writes',
                node.name
              ),
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
              this.trans.__(
                'client.query(…) inside another expression is not read'
              ),
              node.line
            );
          }
          this.queryCall(node);
          return { kind: 'result', line: node.line };
        }
        throw new CellSyntaxError(
          this.trans.__(
            'this call is not part of a query cell the builder writes; move it to another cell'
          ),
          node.line
        );
      }
    }
  }

  private queryCall(node: Extract<Node, { type: 'call' }>): void {
    if (this.query) {
      throw new CellSyntaxError(
        this.trans.__(
          'a second client.query(…): the builder reads one query a cell'
        ),
        node.line
      );
    }
    if (node.args.length > QUERY_PARAMETERS.length) {
      throw new CellSyntaxError(
        this.trans.__(
          'client.query(…) takes category, condition_groups, fields and limit'
        ),
        node.line
      );
    }
    const given = new Map<string, Value>();
    node.args.forEach((arg, index) =>
      given.set(QUERY_PARAMETERS[index], this.evaluate(arg, 'value'))
    );
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
          this.trans.__(
            'client.query(…) has no argument "%1"; it takes %2',
            name,
            QUERY_PARAMETERS.join(', ')
          ),
          arg.line
        );
      }
      if (given.has(name)) {
        throw new CellSyntaxError(
          this.trans.__('the argument %1 is given twice', name),
          arg.line
        );
      }
      given.set(name, this.evaluate(arg, 'value'));
    }
    const category = given.get('category');
    if (!category) {
      throw new CellSyntaxError(
        this.trans.__('client.query(…) has no category'),
        node.line
      );
    }
    const read = new QueryArguments(this.trans);
    this.query = {
      category: read.category(category),
      groups: read.groups(given.get('condition_groups')),
      fields: read.fields(given.get('fields')),
      limit: read.limit(given.get('limit'))
    };
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

/**
 * Read an SDK cell into a query. Never throws: a cell it cannot read gives
 * the reason, starting with "Line N:" when a line is to blame.
 */
export function parseCell(
  source: string,
  trans: Translate = plainTranslate
): ParseResult {
  try {
    const statements = new Parser(tokenize(source, trans), trans).statements();
    return new Reader(trans).read(statements);
  } catch (error) {
    if (error instanceof CellSyntaxError) {
      return {
        ok: false,
        line: error.line,
        reason:
          error.line === null
            ? error.message
            : trans.__(
                'Line %1: %2.',
                error.line,
                error.message.replace(/\.$/, '')
              )
      };
    }
    return {
      ok: false,
      line: null,
      reason: trans.__(
        'The cell could not be read: %1',
        error instanceof Error ? error.message : String(error)
      )
    };
  }
}

export { looksLikeQueryCell } from './looks-like';
