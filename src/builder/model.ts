/**
 * The state of the Query Builder panel: the query being built (with stable
 * keys for the list items), how the cell shows its result, the cell it was
 * loaded from (for "Update cell"), the day's quota and the last preview.
 * No DOM: the panel renders it, the commands act on it.
 */
import { VDomModel } from '@jupyterlab/ui-components';
import type { Quota } from '../api/types';
import {
  Category,
  conditionField,
  conditionFields,
  DEFAULT_FIELDS,
  isSingleValued,
  QUERY_LIMITS
} from '../query/catalogue';
import { generateCell, ResultOutput } from '../query/generate';
import { ICondition, IQuery } from '../query/model';
import { CellOutput } from '../query/read-cell';
import {
  canInsert,
  hasErrors,
  IProblem,
  validateQuery
} from '../query/validate';
import { plainTranslate, Translate } from '../common/translate';
import { formatCount, formatResetClock } from '../common/format';
import { sameQuota } from '../common/quota';
import { BUILDER_DEFAULTS, type IBuilderDefaults } from './defaults';

export interface IDraftCondition extends ICondition {
  readonly key: number;
}

export interface IDraftGroup {
  readonly key: number;
  operator: string;
  conditions: IDraftCondition[];
}

/** The notebook cell the query was loaded from ("Edit in Query Builder"). */
export interface ICellTarget {
  /** The notebook's path, to say which cell "Update cell" writes. */
  path: string;
  /** The cell's id in the notebook model. */
  cellId: string;
  /** The cell's source when loaded or last written: a change since is a hand edit. */
  source: string;
}

/** The last preview: running, its sample, or why it failed. */
export type PreviewState =
  | { state: 'idle' }
  | { state: 'running' }
  | {
      state: 'done';
      category: string;
      fields: string[];
      records: Record<string, unknown>[];
      count: number;
      quota: Quota | null;
    }
  | { state: 'failed'; message: string };

export { BUILDER_DEFAULTS, type IBuilderDefaults };

let nextKey = 1;
const key = () => nextKey++;

/** A new condition on the category's first field that allows `operation`. */
function newCondition(category: Category, field?: string): IDraftCondition {
  const name = field ?? conditionFields(category)[0];
  const spec = conditionField(category, name)!;
  const operation = spec.operations.includes('GTE')
    ? 'GTE'
    : spec.operations[0];
  return { key: key(), field: name, operation, values: [] };
}

export class QueryBuilderModel extends VDomModel {
  constructor(
    defaults: Partial<IBuilderDefaults> = {},
    trans: Translate = plainTranslate
  ) {
    super();
    this.trans = trans;
    this._defaults = { ...BUILDER_DEFAULTS, ...defaults };
    this._output = this._defaults.output;
    this.reset();
  }

  readonly trans: Translate;

  get category(): Category {
    return this._category;
  }
  get groups(): readonly IDraftGroup[] {
    return this._groups;
  }
  get fields(): readonly string[] {
    return this._fields;
  }
  get limit(): number {
    return this._limit;
  }
  /** The limit as typed (may not be a number yet). */
  get limitText(): string {
    return this._limitText;
  }
  get output(): ResultOutput {
    return this._output;
  }
  get target(): ICellTarget | null {
    return this._target;
  }
  get quota(): Quota | null {
    return this._quota;
  }
  get preview(): PreviewState {
    return this._preview;
  }

  /** The query, without the panel's keys. */
  get query(): IQuery {
    return {
      category: this._category,
      groups: this._groups.map(group => ({
        operator: group.operator,
        conditions: group.conditions.map(({ field, operation, values }) => ({
          field,
          operation,
          values: [...values]
        }))
      })),
      fields: [...this._fields],
      limit: this._limit
    };
  }

  /** The cell the builder writes. */
  get code(): string {
    return generateCell(this.query, { output: this._output });
  }

  /** Every problem, with the day's quota. */
  get problems(): IProblem[] {
    const problems = validateQuery(this.query, {
      remaining: this._quota?.remaining ?? null,
      // The clock time only: a countdown here would stand still between renders.
      resetText: this._quota
        ? formatResetClock(this._quota.resets_at, this.trans)
        : null,
      trans: this.trans
    });
    if (this._limitText.trim() !== String(this._limit)) {
      const range = formatCount(QUERY_LIMITS.test.maxLimit);
      problems.push({
        rule: 'limit-range',
        severity: 'error',
        target: { kind: 'limit' },
        message:
          this._limitText.trim() === ''
            ? this.trans.__(
                'Enter a limit: a whole number from 1 to %1.',
                range
              )
            : this.trans.__(
                '"%1" is not a whole number: the limit must be from 1 to %2.',
                this._limitText,
                range
              )
      });
    }
    return problems;
  }

  get canInsert(): boolean {
    return canInsert(this.problems);
  }

  get canRun(): boolean {
    return !hasErrors(this.problems);
  }

  /** A new query: the defaults (the guide's fields for video, no conditions). */
  reset(category: Category = 'video'): void {
    this._category = category;
    this._groups = [];
    this._fields = [...DEFAULT_FIELDS[category]];
    this._limit = this._defaults.limit;
    this._limitText = String(this._limit);
    this._target = null;
    this._preview = { state: 'idle' };
    this.stateChanged.emit();
  }

  setDefaults(defaults: Partial<IBuilderDefaults>): void {
    const limitWasDefault =
      this._limit === this._defaults.limit && this._target === null;
    this._defaults = { ...this._defaults, ...defaults };
    if (limitWasDefault) {
      this._limit = this._defaults.limit;
      this._limitText = String(this._limit);
    }
    this.stateChanged.emit();
  }

  /** Another category: conditions on fields it lacks are dropped; its default fields. */
  setCategory(category: Category): void {
    if (category === this._category) {
      return;
    }
    this._category = category;
    this._groups = this._groups
      .map(group => ({
        ...group,
        conditions: group.conditions.filter(condition => {
          const field = conditionField(category, condition.field);
          return (
            field !== null &&
            field.operations.includes(condition.operation as never)
          );
        })
      }))
      .filter(group => group.conditions.length > 0);
    this._fields = [...DEFAULT_FIELDS[category]];
    this._changed();
  }

  addGroup(operator = 'and'): void {
    this._groups = [
      ...this._groups,
      { key: key(), operator, conditions: [newCondition(this._category)] }
    ];
    this._changed();
  }

  removeGroup(index: number): void {
    this._groups = this._groups.filter((_, at) => at !== index);
    this._changed();
  }

  moveGroup(index: number, by: -1 | 1): void {
    this._groups = move(this._groups, index, by);
    this._changed();
  }

  setGroupOperator(index: number, operator: string): void {
    this._updateGroup(index, group => ({ ...group, operator }));
  }

  addCondition(group: number): void {
    this._updateGroup(group, g => ({
      ...g,
      conditions: [...g.conditions, newCondition(this._category)]
    }));
  }

  removeCondition(group: number, index: number): void {
    this._updateGroup(group, g => ({
      ...g,
      conditions: g.conditions.filter((_, at) => at !== index)
    }));
  }

  moveCondition(group: number, index: number, by: -1 | 1): void {
    const target = index + by;
    const conditions = this._groups[group]?.conditions;
    if (!conditions) {
      return;
    }
    if (target >= 0 && target < conditions.length) {
      this._updateGroup(group, g => ({
        ...g,
        conditions: move(g.conditions, index, by)
      }));
      return;
    }
    // Past the end of its group: into the next (or previous) group.
    const other = group + by;
    if (other < 0 || other >= this._groups.length) {
      return;
    }
    const condition = conditions[index];
    this._groups = this._groups.map((g, at) => {
      if (at === group) {
        return { ...g, conditions: g.conditions.filter((_, i) => i !== index) };
      }
      if (at === other) {
        return {
          ...g,
          conditions:
            by === 1
              ? [condition, ...g.conditions]
              : [...g.conditions, condition]
        };
      }
      return g;
    });
    this._changed();
  }

  /** Another field: its operations only; the values kept when they still make sense. */
  setField(group: number, index: number, field: string): void {
    const spec = conditionField(this._category, field);
    if (!spec) {
      return;
    }
    this._updateCondition(group, index, condition => {
      const before = conditionField(this._category, condition.field);
      const operation = spec.operations.includes(condition.operation as never)
        ? condition.operation
        : spec.operations.includes('GTE')
          ? 'GTE'
          : spec.operations[0];
      const sameType = before?.type === spec.type;
      return {
        ...condition,
        field,
        operation,
        values: sameType ? fitValues(operation, condition.values) : []
      };
    });
  }

  setOperation(group: number, index: number, operation: string): void {
    this._updateCondition(group, index, condition => {
      const spec = conditionField(this._category, condition.field);
      if (!spec || !spec.operations.includes(operation as never)) {
        return condition; // an operation the field does not allow cannot be chosen
      }
      return {
        ...condition,
        operation,
        values: fitValues(operation, condition.values)
      };
    });
  }

  setValues(group: number, index: number, values: string[]): void {
    this._updateCondition(group, index, condition => {
      this._valuesEntered.add(condition.key);
      return { ...condition, values: [...values] };
    });
  }

  /**
   * Whether a value was entered (or removed) in this condition here: until
   * then, "needs a value" is a prompt rather than an error to show in red.
   */
  valuesEntered(key: number): boolean {
    return this._valuesEntered.has(key);
  }

  private readonly _valuesEntered = new Set<number>();

  toggleField(name: string, on: boolean): void {
    const has = this._fields.includes(name);
    if (on && !has) {
      this._fields = [...this._fields, name];
    } else if (!on && has) {
      this._fields = this._fields.filter(field => field !== name);
    } else {
      return;
    }
    this._changed();
  }

  setFields(fields: string[]): void {
    this._fields = [...fields];
    this._changed();
  }

  setLimitText(text: string): void {
    this._limitText = text;
    const trimmed = text.trim();
    if (/^\d+$/.test(trimmed)) {
      this._limit = Number(trimmed);
    }
    this._changed();
  }

  setOutput(output: ResultOutput): void {
    this._output = output;
    this._changed();
  }

  setQuota(quota: Quota | null): void {
    const same = sameQuota(quota, this._quota);
    this._quota = quota;
    if (!same) {
      this.stateChanged.emit();
    }
  }

  setPreview(preview: PreviewState): void {
    this._preview = preview;
    this.stateChanged.emit();
  }

  /** Load a query read from a cell; the cell becomes the target of "Update cell". */
  load(query: IQuery, output: CellOutput, target: ICellTarget | null): void {
    this._category = query.category;
    this._groups = query.groups.map(group => ({
      key: key(),
      operator: group.operator,
      conditions: group.conditions.map(condition => ({
        ...condition,
        values: [...condition.values],
        key: key()
      }))
    }));
    this._fields = [...query.fields];
    this._limit = query.limit;
    this._limitText = String(query.limit);
    this._output = output === 'none' ? this._output : output;
    this._target = target;
    this._preview = { state: 'idle' };
    this.stateChanged.emit();
  }

  /** The cell now holds `source` (after "Update cell"), or the target is gone. */
  setTarget(target: ICellTarget | null): void {
    this._target = target;
    this.stateChanged.emit();
  }

  private _updateGroup(
    index: number,
    change: (group: IDraftGroup) => IDraftGroup
  ): void {
    if (!this._groups[index]) {
      return;
    }
    this._groups = this._groups.map((group, at) =>
      at === index ? change(group) : group
    );
    this._changed();
  }

  private _updateCondition(
    group: number,
    index: number,
    change: (condition: IDraftCondition) => IDraftCondition
  ): void {
    this._updateGroup(group, g => ({
      ...g,
      conditions: g.conditions.map((condition, at) =>
        at === index ? change(condition) : condition
      )
    }));
  }

  /** The query changed: an old preview no longer describes it. */
  private _changed(): void {
    if (this._preview.state === 'done' || this._preview.state === 'failed') {
      this._preview = { state: 'idle' };
    }
    this.stateChanged.emit();
  }

  private _defaults: IBuilderDefaults;
  private _category: Category = 'video';
  private _groups: IDraftGroup[] = [];
  private _fields: string[] = [];
  private _limit = BUILDER_DEFAULTS.limit;
  private _limitText = String(BUILDER_DEFAULTS.limit);
  private _output: ResultOutput;
  private _target: ICellTarget | null = null;
  private _quota: Quota | null = null;
  private _preview: PreviewState = { state: 'idle' };
}

function move<T>(items: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (
    index < 0 ||
    index >= items.length ||
    target < 0 ||
    target >= items.length
  ) {
    return [...items];
  }
  const copy = [...items];
  [copy[index], copy[target]] = [copy[target], copy[index]];
  return copy;
}

/** Values kept across an operation change: one for single-valued operations. */
function fitValues(operation: string, values: readonly string[]): string[] {
  return isSingleValued(operation) ? values.slice(0, 1) : [...values];
}
