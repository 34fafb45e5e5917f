/**
 * The Query Builder panel: category, condition groups, return fields, limit
 * with the quota beside it, inline validation, a highlighted preview of the
 * cell, the actions, and a preview of the sample through the platform.
 */
import * as React from 'react';
import { addIcon, VDomRenderer } from '@jupyterlab/ui-components';
import {
  CATEGORIES,
  Category,
  QUERY_LIMITS,
  returnableFields
} from '../query/catalogue';
import { problemsOf } from '../query/validate';
import { formatCount as count } from '../common/format';
import type { IBuilderActions } from './actions';
import { QueryBuilderModel } from './model';

import { Problems, CodePreview, PreviewResult, TitledGroup } from './parts';
import { GroupBox } from './GroupBox';
import { goToFirstProblem } from './first-problem';
import { Select } from '../common/Select';
import { IdPrefix, MAIN_AREA_ID_PREFIX, SIDEBAR_ID_PREFIX } from './ids';
/** Where a view of the builder is: the left sidebar, or the main area (wider, two columns). */
export type BuilderPlace = 'sidebar' | 'main';

export class QueryBuilderView extends VDomRenderer<QueryBuilderModel> {
  constructor(
    model: QueryBuilderModel,
    private readonly _actions: IBuilderActions,
    readonly place: BuilderPlace = 'sidebar'
  ) {
    super(model);
    this.addClass('jp-vce-QB');
    this.addClass(place === 'main' ? 'jp-vce-QB-main' : 'jp-vce-QB-side');
    this._idPrefix = place === 'main' ? MAIN_AREA_ID_PREFIX : SIDEBAR_ID_PREFIX;
  }

  private readonly _idPrefix: string;

  protected render(): JSX.Element {
    const prefix = this._idPrefix;
    const id = (name: string) => `${prefix}-${name}`;
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
      <IdPrefix.Provider value={prefix}>
        <form
          className="jp-vce-QB-form"
          onSubmit={event => event.preventDefault()}
          aria-label={trans.__('Query Builder')}
        >
          <div className="jp-vce-QB-column jp-vce-QB-queryColumn">
            {target && (
              <p className="jp-vce-QB-target" role="status">
                {trans.__(
                  'Editing a cell of %1. "Update cell" writes the query back.',
                  target.path
                )}
              </p>
            )}
            <div className="jp-vce-QB-section">
              <label className="jp-vce-QB-label" htmlFor={id('category')}>
                {trans.__('Category')}
              </label>
              <Select
                id={id('category')}
                className="jp-vce-QB-select"
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
              </Select>
            </div>

            <TitledGroup
              titleId={id('conditions-title')}
              title={trans.__('Condition groups')}
            >
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
            </TitledGroup>

            <TitledGroup
              titleId={id('fields-title')}
              title={trans.__('Fields to return')}
            >
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
            </TitledGroup>

            <div className="jp-vce-QB-section">
              <label className="jp-vce-QB-label" htmlFor={id('limit')}>
                {trans.__('Limit')}
              </label>
              <span className="jp-vce-QB-limitLine">
                <input
                  id={id('limit')}
                  className="jp-mod-styled jp-vce-QB-input jp-vce-QB-limit"
                  type="text"
                  inputMode="numeric"
                  aria-invalid={
                    limitProblems.some(p => p.severity === 'error') || undefined
                  }
                  aria-describedby={`${id('quota')} ${id('limit-problems')}`}
                  value={model.limitText}
                  onChange={event => model.setLimitText(event.target.value)}
                />
                <span id={id('quota')} className="jp-vce-QB-quota">
                  {quota
                    ? trans.__(
                        '%1 of %2 records left today',
                        count(quota.remaining),
                        count(quota.daily_limit)
                      )
                    : trans.__('quota unknown (not signed in)')}
                </span>
              </span>
              <Problems id={id('limit-problems')} problems={limitProblems} />
            </div>

            <div
              className="jp-vce-QB-section"
              role="radiogroup"
              aria-labelledby={id('output-title')}
            >
              <span id={id('output-title')} className="jp-vce-QB-label">
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
                    name={id('output')}
                    checked={model.output === output}
                    onChange={() => model.setOutput(output)}
                  />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </div>
          <div className="jp-vce-QB-column jp-vce-QB-resultColumn">
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
          </div>
          <div className="jp-vce-QB-column jp-vce-QB-sampleColumn">
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
          </div>
        </form>
      </IdPrefix.Provider>
    );
  }
}
