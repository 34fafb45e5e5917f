/** One condition of a group: field, operation and value editors, with its problems inline. */
import * as React from 'react';
import {
  caretDownIcon,
  caretUpIcon,
  closeIcon
} from '@jupyterlab/ui-components';
import {
  CATALOGUE,
  conditionField,
  conditionFields,
  OPERATIONS
} from '../query/catalogue';
import { conditionProblems } from '../query/validate';
import { Translate } from '../common/translate';
import { QueryBuilderModel } from './model';
import { ValueEditor } from './values';

import { IconButton, Problems } from './parts';
import { Select } from '../common/Select';
import { useIdPrefix } from './ids';

export function operatorHint(operator: string, trans: Translate): string {
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

export function operatorLabel(operator: string, trans: Translate): string {
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

export function ConditionRow(props: {
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
  const id = `${useIdPrefix()}-g${group}c${index}`;
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
        <Select
          id={`${id}-field`}
          className="jp-vce-QB-select jp-vce-QB-field"
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
        </Select>
        <Select
          id={`${id}-operation`}
          className="jp-vce-QB-select jp-vce-QB-operation"
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
        </Select>
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
