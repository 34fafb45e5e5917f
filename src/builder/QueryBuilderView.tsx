/**
 * The Query Builder panel: category, condition groups, return fields, limit
 * with the quota beside it, inline validation, a highlighted preview of the
 * cell, the actions, and a preview of the sample through the platform.
 */
import * as React from 'react';
import {
  addIcon,
  caretDownIcon,
  caretUpIcon,
  closeIcon,
  VDomRenderer
} from '@jupyterlab/ui-components';
import {
  CATALOGUE,
  CATEGORIES,
  Category,
  conditionField,
  conditionFields,
  GROUP_OPERATORS,
  OPERATIONS,
  QUERY_LIMITS,
  returnableFields
} from '../query/catalogue';
import {
  conditionProblems,
  groupProblems,
  IProblem,
  problemsOf
} from '../query/validate';
import { Translate } from '../common/translate';
import { formatCount as count } from '../common/format';
import { QueryBuilderModel } from './model';
import { ResultTable } from './ResultTable';
import { ValueEditor } from './values';

/** What the panel's buttons do (the plugin's commands). */
export interface IBuilderActions {
  insert(): void;
  insertAndRun(): void;
  copy(): void;
  update(): void;
  preview(): void;
  newQuery(): void;
  /** Highlight Python into `element` (CodeMirror's highlighter), or null for plain text. */
  highlight: ((code: string, element: HTMLElement) => Promise<void>) | null;
  /** Whether a notebook is open to insert into (else a new one is created). */
  hasNotebook(): boolean;
}

function operatorHint(operator: string, trans: Translate): string {
  switch (operator) {
    case 'and':
      return trans.__('All of these conditions are true.');
    case 'or':
      return trans.__('Any of these conditions is true.');
    case 'not':
      return trans.__('None of these conditions is true.');
    default:
      return '';
  }
}

function operatorLabel(operator: string, trans: Translate): string {
  switch (operator) {
    case 'and':
      return trans.__('and');
    case 'or':
      return trans.__('or');
    case 'not':
      return trans.__('not');
    default:
      return operator;
  }
}

function IconButton(props: {
  label: string;
  icon: typeof addIcon;
  onClick: () => void;
  disabled?: boolean;
}): JSX.Element {
  return (
    <button
      type="button"
      className="jp-vce-QB-iconButton"
      aria-label={props.label}
      title={props.label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <props.icon.react tag="span" elementSize="normal" />
    </button>
  );
}

function Problems(props: {
  id?: string;
  problems: readonly IProblem[];
  asPrompt?: boolean;
}): JSX.Element | null {
  if (props.problems.length === 0) {
    return null;
  }
  return (
    <ul id={props.id} className="jp-vce-QB-problems">
      {props.problems.map((problem, index) => (
        <li
          key={index}
          className={`jp-vce-QB-problem jp-mod-${props.asPrompt ? 'prompt' : problem.severity}`}
        >
          {problem.message}
        </li>
      ))}
    </ul>
  );
}

/** The highlighted cell; plain text until (or without) the highlighter. */
function CodePreview(props: {
  code: string;
  highlight: IBuilderActions['highlight'];
  label: string;
}): JSX.Element {
  const ref = React.useRef<HTMLPreElement>(null);
  React.useEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    let cancelled = false;
    if (props.highlight) {
      const target = document.createElement('code');
      void props.highlight(props.code, target).then(() => {
        if (!cancelled) {
          element.replaceChildren(target);
        }
      });
    }
    return () => {
      cancelled = true;
    };
  }, [props.code, props.highlight]);
  return (
    <pre
      ref={ref}
      className="jp-vce-QB-code cm-s-jupyter"
      aria-label={props.label}
      tabIndex={0}
      data-code={props.code}
    >
      <code>{props.code}</code>
    </pre>
  );
}

function ConditionRow(props: {
  model: QueryBuilderModel;
  group: number;
  index: number;
  isFirst: boolean;
  isLast: boolean;
}): JSX.Element {
  const { model, group, index } = props;
  const trans = model.trans;
  const condition = model.groups[group].conditions[index];
  const field = conditionField(model.category, condition.field);
  const problems = conditionProblems(model.problems, group, index);
  // A new condition waits for its value: a prompt, not a red error, until one is entered.
  const waiting =
    problems.length > 0 &&
    problems.every(problem => problem.rule === 'no-values') &&
    !model.valuesEntered(condition.key);
  const invalid = new Set(
    problems
      .map(problem =>
        problem.target.kind === 'condition' ? problem.target.value : undefined
      )
      .filter((value): value is number => value !== undefined)
  );
  const id = `jp-vce-qb-g${group}c${index}`;
  const problemsId = problems.length > 0 ? `${id}-problems` : undefined;
  const position = trans.__('condition %1 of group %2', index + 1, group + 1);
  return (
    <li
      className={
        'jp-vce-QB-condition' +
        (waiting
          ? ' jp-vce-QB-waiting'
          : problems.some(p => p.severity === 'error')
            ? ' jp-mod-invalid'
            : '')
      }
    >
      <div className="jp-vce-QB-conditionLine">
        <select
          id={`${id}-field`}
          className="jp-mod-styled jp-vce-QB-input jp-vce-QB-field"
          aria-label={trans.__('Field of %1', position)}
          title={field?.description}
          value={condition.field}
          onChange={event => model.setField(group, index, event.target.value)}
        >
          {!field && <option value={condition.field}>{condition.field}</option>}
          {conditionFields(model.category).map(name => (
            <option
              key={name}
              value={name}
              title={CATALOGUE[model.category].conditions[name].description}
            >
              {name}
            </option>
          ))}
        </select>
        <select
          id={`${id}-operation`}
          className="jp-mod-styled jp-vce-QB-input jp-vce-QB-operation"
          aria-label={trans.__('Operation of %1', position)}
          value={condition.operation}
          onChange={event =>
            model.setOperation(group, index, event.target.value)
          }
        >
          {field &&
            !field.operations.includes(condition.operation as never) && (
              <option value={condition.operation} disabled>
                {condition.operation}
              </option>
            )}
          {/* Only the operations the field allows can be chosen. */}
          {OPERATIONS.filter(operation =>
            field?.operations.includes(operation)
          ).map(operation => (
            <option key={operation} value={operation}>
              {operation}
            </option>
          ))}
        </select>
      </div>
      <div className="jp-vce-QB-valueLine">
        {field ? (
          <ValueEditor
            id={id}
            name={condition.field}
            field={field}
            operation={condition.operation}
            values={condition.values}
            invalid={invalid}
            describedBy={problemsId}
            trans={trans}
            onChange={values => model.setValues(group, index, values)}
          />
        ) : (
          <span className="jp-vce-QB-hint">{trans.__('Choose a field.')}</span>
        )}
        <span className="jp-vce-QB-rowButtons">
          <IconButton
            label={trans.__('Move %1 up', position)}
            icon={caretUpIcon}
            disabled={props.isFirst && group === 0}
            onClick={() => model.moveCondition(group, index, -1)}
          />
          <IconButton
            label={trans.__('Move %1 down', position)}
            icon={caretDownIcon}
            disabled={props.isLast && group === model.groups.length - 1}
            onClick={() => model.moveCondition(group, index, 1)}
          />
          <IconButton
            label={trans.__('Remove %1', position)}
            icon={closeIcon}
            onClick={() => model.removeCondition(group, index)}
          />
        </span>
      </div>
      <Problems id={problemsId} problems={problems} asPrompt={waiting} />
    </li>
  );
}

function GroupBox(props: {
  model: QueryBuilderModel;
  index: number;
}): JSX.Element {
  const { model, index } = props;
  const trans = model.trans;
  const group = model.groups[index];
  const label = trans.__('Group %1', index + 1);
  return (
    <li className="jp-vce-QB-group">
      <div
        className="jp-vce-QB-groupBox"
        role="group"
        aria-labelledby={`jp-vce-qb-g${index}-title`}
      >
        <div className="jp-vce-QB-groupHeader">
          <span
            id={`jp-vce-qb-g${index}-title`}
            className="jp-vce-QB-groupTitle"
          >
            {label}
          </span>
          <select
            className="jp-mod-styled jp-vce-QB-input"
            aria-label={trans.__('Operator of group %1', index + 1)}
            value={group.operator}
            onChange={event =>
              model.setGroupOperator(index, event.target.value)
            }
          >
            {!(GROUP_OPERATORS as readonly string[]).includes(
              group.operator
            ) && <option value={group.operator}>{group.operator}</option>}
            {GROUP_OPERATORS.map(operator => (
              <option key={operator} value={operator}>
                {operatorLabel(operator, trans)}
              </option>
            ))}
          </select>
          <span className="jp-vce-QB-rowButtons">
            <IconButton
              label={trans.__('Move group %1 up', index + 1)}
              icon={caretUpIcon}
              disabled={index === 0}
              onClick={() => model.moveGroup(index, -1)}
            />
            <IconButton
              label={trans.__('Move group %1 down', index + 1)}
              icon={caretDownIcon}
              disabled={index === model.groups.length - 1}
              onClick={() => model.moveGroup(index, 1)}
            />
            <IconButton
              label={trans.__('Remove group %1', index + 1)}
              icon={closeIcon}
              onClick={() => model.removeGroup(index)}
            />
          </span>
        </div>
        <p className="jp-vce-QB-hint">{operatorHint(group.operator, trans)}</p>
        <ol className="jp-vce-QB-conditions">
          {group.conditions.map((condition, at) => (
            <ConditionRow
              key={condition.key}
              model={model}
              group={index}
              index={at}
              isFirst={at === 0}
              isLast={at === group.conditions.length - 1}
            />
          ))}
        </ol>
        <Problems problems={groupProblems(model.problems, index)} />
        <button
          type="button"
          className="jp-vce-QB-textButton"
          onClick={() => model.addCondition(index)}
          aria-label={trans.__('Add a condition to group %1', index + 1)}
        >
          <addIcon.react tag="span" elementSize="normal" />
          {trans.__('Condition')}
        </button>
      </div>
    </li>
  );
}

function PreviewResult(props: {
  model: QueryBuilderModel;
}): JSX.Element | null {
  const { model } = props;
  const trans = model.trans;
  const preview = model.preview;
  switch (preview.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <p className="jp-vce-QB-status" role="status">
          {trans.__('Asking the platform for a sample…')}
        </p>
      );
    case 'failed':
      return (
        <p className="jp-vce-QB-problem jp-mod-error" role="alert">
          {preview.message}
        </p>
      );
    case 'done':
      return (
        <div
          className="jp-vce-QB-previewResult"
          role="region"
          aria-label={trans.__('Sample')}
        >
          <ResultTable
            data={{
              category: preview.category,
              fields: preview.fields,
              records: preview.records,
              count: preview.count,
              quota: preview.quota
            }}
            trans={trans}
          />
        </div>
      );
  }
}

/** Scroll to the first field the builder flags and put the focus on it. */
function goToFirstProblem(from: HTMLElement): void {
  // Each problem's message follows its controls, in its condition or section: the first message
  // leads to the control it is about (flagged, else the value, else the first); focusing scrolls.
  const message = from
    .closest('form')
    ?.querySelector(
      '.jp-vce-QB-problem.jp-mod-error, .jp-vce-QB-problem.jp-mod-prompt'
    );
  const place = message?.closest(
    '.jp-vce-QB-condition, .jp-vce-QB-group, .jp-vce-QB-section'
  );
  if (!place) {
    return;
  }
  // In this order of preference (one selector list would take the first in the document).
  const target = [
    '[aria-invalid="true"]',
    '.jp-vce-QB-valueLine input, .jp-vce-QB-valueLine select',
    'input, select'
  ]
    .map(selector => place.querySelector<HTMLElement>(selector))
    .find(element => element !== null);
  target?.focus();
}

export class QueryBuilderView extends VDomRenderer<QueryBuilderModel> {
  constructor(
    model: QueryBuilderModel,
    private readonly _actions: IBuilderActions
  ) {
    super(model);
    this.addClass('jp-vce-QB');
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = model.trans;
    const actions = this._actions;
    const problems = model.problems;
    const quota = model.quota;
    const limitProblems = problemsOf(problems, 'limit');
    const errors = problems.filter(
      problem => problem.severity === 'error'
    ).length;
    const target = model.target;
    const returnable = returnableFields(model.category);
    const previewCost = Math.min(model.limit, QUERY_LIMITS.test.maxLimit);
    // Why the actions are disabled, said on them.
    const fixFirst =
      errors === 1
        ? trans.__('Fix the problem above first.')
        : trans.__('Fix the %1 problems above first.', Math.max(errors, 1));
    const insertBlocked = model.canInsert ? undefined : fixFirst;
    // Over today's quota is not a mistake to fix in the query.
    const onlyQuota =
      errors === 0 ||
      problems.every(
        problem =>
          problem.severity !== 'error' || problem.rule === 'limit-over-quota'
      );
    const runBlocked = model.canRun
      ? undefined
      : onlyQuota
        ? trans.__(
            "Lower the limit to what is left today, or wait for the quota's reset."
          )
        : fixFirst;
    const limitValid = !problems.some(
      problem => problem.rule === 'limit-range'
    );
    return (
      <form
        className="jp-vce-QB-form"
        onSubmit={event => event.preventDefault()}
        aria-label={trans.__('Query Builder')}
      >
        {target && (
          <p className="jp-vce-QB-target" role="status">
            {trans.__(
              'Editing a cell of %1. "Update cell" writes the query back.',
              target.path
            )}
          </p>
        )}
        <div className="jp-vce-QB-section">
          <label className="jp-vce-QB-label" htmlFor="jp-vce-qb-category">
            {trans.__('Category')}
          </label>
          <select
            id="jp-vce-qb-category"
            className="jp-mod-styled jp-vce-QB-input"
            value={model.category}
            onChange={event =>
              model.setCategory(event.target.value as Category)
            }
          >
            {CATEGORIES.map(category => (
              <option key={category} value={category}>
                {category}
              </option>
            ))}
          </select>
        </div>

        <div
          className="jp-vce-QB-section"
          role="group"
          aria-labelledby="jp-vce-qb-conditions-title"
        >
          <h3 id="jp-vce-qb-conditions-title" className="jp-vce-QB-heading">
            {trans.__('Condition groups')}
          </h3>
          <p className="jp-vce-QB-hint">
            {model.groups.length > 1
              ? trans.__('A record must satisfy every group.')
              : trans.__('Groups combine with AND.')}
          </p>
          <ol className="jp-vce-QB-groups">
            {model.groups.map((group, index) => (
              <GroupBox key={group.key} model={model} index={index} />
            ))}
          </ol>
          <Problems problems={problemsOf(problems, 'groups')} />
          <button
            type="button"
            className="jp-vce-QB-textButton"
            onClick={() => model.addGroup()}
          >
            <addIcon.react tag="span" elementSize="normal" />
            {trans.__('Condition group')}
          </button>
        </div>

        <div
          className="jp-vce-QB-section"
          role="group"
          aria-labelledby="jp-vce-qb-fields-title"
        >
          <h3 id="jp-vce-qb-fields-title" className="jp-vce-QB-heading">
            {trans.__('Fields to return')}
          </h3>
          <ul className="jp-vce-QB-fieldList">
            {returnable.map(name => (
              <li key={name}>
                <label className="jp-vce-QB-check">
                  <input
                    type="checkbox"
                    checked={model.fields.includes(name)}
                    onChange={event =>
                      model.toggleField(name, event.target.checked)
                    }
                  />
                  <span>{name}</span>
                </label>
              </li>
            ))}
          </ul>
          <p className="jp-vce-QB-hint">
            {trans.__('In this order: %1', model.fields.join(', ') || '—')}
          </p>
          <Problems problems={problemsOf(problems, 'fields')} />
        </div>

        <div className="jp-vce-QB-section">
          <label className="jp-vce-QB-label" htmlFor="jp-vce-qb-limit">
            {trans.__('Limit')}
          </label>
          <span className="jp-vce-QB-limitLine">
            <input
              id="jp-vce-qb-limit"
              className="jp-mod-styled jp-vce-QB-input jp-vce-QB-limit"
              type="text"
              inputMode="numeric"
              aria-invalid={
                limitProblems.some(p => p.severity === 'error') || undefined
              }
              aria-describedby="jp-vce-qb-quota jp-vce-qb-limit-problems"
              value={model.limitText}
              onChange={event => model.setLimitText(event.target.value)}
            />
            <span id="jp-vce-qb-quota" className="jp-vce-QB-quota">
              {quota
                ? trans.__(
                    '%1 of %2 records left today',
                    count(quota.remaining),
                    count(quota.daily_limit)
                  )
                : trans.__('quota unknown (not signed in)')}
            </span>
          </span>
          <Problems id="jp-vce-qb-limit-problems" problems={limitProblems} />
        </div>

        <div
          className="jp-vce-QB-section"
          role="radiogroup"
          aria-labelledby="jp-vce-qb-output-title"
        >
          <span id="jp-vce-qb-output-title" className="jp-vce-QB-label">
            {trans.__('Show the result')}
          </span>
          {(
            [
              ['display', trans.__('as a table (data)')],
              ['print', trans.__('as text, as in the guide (print(data))')]
            ] as const
          ).map(([output, label]) => (
            <label key={output} className="jp-vce-QB-check">
              <input
                type="radio"
                name="jp-vce-qb-output"
                checked={model.output === output}
                onChange={() => model.setOutput(output)}
              />
              <span>{label}</span>
            </label>
          ))}
        </div>

        <div className="jp-vce-QB-section">
          <h3 className="jp-vce-QB-heading">{trans.__('Cell')}</h3>
          <CodePreview
            code={model.code}
            highlight={actions.highlight}
            label={trans.__('The cell the builder writes')}
          />
          <p className="jp-vce-QB-summary" aria-live="polite">
            {errors > 0
              ? errors === 1
                ? trans.__('1 problem to fix before running.')
                : trans.__('%1 problems to fix before running.', errors)
              : trans.__('Ready.')}
            {errors > 0 && (
              <>
                {' '}
                <button
                  type="button"
                  className="jp-vce-LinkButton jp-vce-QB-firstProblem"
                  onClick={event => goToFirstProblem(event.currentTarget)}
                >
                  {trans.__('Go to the first')}
                </button>
              </>
            )}
          </p>
          <div className="jp-vce-QB-actions">
            {target && (
              <button
                type="button"
                className="jp-mod-styled jp-mod-accept jp-vce-QB-button"
                disabled={!model.canInsert}
                title={insertBlocked}
                onClick={() => actions.update()}
              >
                {trans.__('Update cell')}
              </button>
            )}
            <button
              type="button"
              className={
                'jp-mod-styled jp-vce-QB-button' +
                (target ? '' : ' jp-mod-accept')
              }
              disabled={!model.canInsert}
              title={
                insertBlocked ??
                (actions.hasNotebook()
                  ? undefined
                  : trans.__(
                      'No notebook is open: a new one is created in the current folder.'
                    ))
              }
              onClick={() => actions.insert()}
            >
              {actions.hasNotebook()
                ? trans.__('Insert below')
                : trans.__('Insert in a new notebook')}
            </button>
            <button
              type="button"
              className="jp-mod-styled jp-vce-QB-button"
              disabled={!model.canRun}
              title={runBlocked}
              onClick={() => actions.insertAndRun()}
            >
              {trans.__('Insert and run')}
            </button>
            <button
              type="button"
              className="jp-mod-styled jp-vce-QB-button"
              onClick={() => actions.copy()}
            >
              {trans.__('Copy')}
            </button>
            <button
              type="button"
              className="jp-mod-styled jp-vce-QB-button jp-vce-QB-new"
              onClick={() => actions.newQuery()}
            >
              {trans.__('New query')}
            </button>
          </div>
        </div>

        <div className="jp-vce-QB-section">
          <h3 className="jp-vce-QB-heading">{trans.__('Preview')}</h3>
          <button
            type="button"
            className="jp-mod-styled jp-vce-QB-button jp-vce-QB-previewButton"
            disabled={!model.canRun || model.preview.state === 'running'}
            title={runBlocked}
            onClick={() => actions.preview()}
          >
            {!limitValid
              ? trans.__('Preview sample')
              : trans.__(
                  'Preview sample (uses up to %1 records of your quota)',
                  count(previewCost)
                )}
          </button>
          <PreviewResult model={model} />
        </div>
      </form>
    );
  }
}
