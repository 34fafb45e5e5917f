/** One condition group: its operator, its conditions, and the buttons that add, move and remove them. */
import * as React from 'react';
import {
  addIcon,
  caretDownIcon,
  caretUpIcon,
  closeIcon
} from '@jupyterlab/ui-components';
import { GROUP_OPERATORS } from '../query/catalogue';
import { groupProblems } from '../query/validate';
import { QueryBuilderModel } from './model';

import { IconButton, Problems } from './parts';
import { ConditionRow, operatorHint, operatorLabel } from './ConditionRow';
import { Select } from '../common/Select';
import { useIdPrefix } from './ids';

export function GroupBox(props: {
  model: QueryBuilderModel;
  index: number;
}): JSX.Element {
  const { model, index } = props;
  const trans = model.trans;
  const group = model.groups[index];
  const label = trans.__('Group %1', index + 1);
  const prefix = useIdPrefix();
  return (
    <li className="jp-vce-QB-group">
      <div
        className="jp-vce-QB-groupBox"
        role="group"
        aria-labelledby={`${prefix}-g${index}-title`}
      >
        <div className="jp-vce-QB-groupHeader">
          <span
            id={`${prefix}-g${index}-title`}
            className="jp-vce-QB-groupTitle"
          >
            {label}
          </span>
          <Select
            className="jp-vce-QB-select jp-vce-QB-operator"
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
          </Select>
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
