/**
 * Value editors by type: numbers, dates for create_time, region codes with
 * names, enums, booleans, free text; IN and CONTAINS as chips.
 */
import * as React from 'react';
import { IConditionField, REGION_CODES } from '../query/catalogue';
import {
  dayToIsoDate,
  describeTime,
  editorKind,
  isoDateToDay,
  regionName,
  takesManyValues
} from '../query/values';
import type { Translate } from '../common/translate';
import { Select } from '../common/Select';

export interface IValueEditorProps {
  /** For ids and labels: `g0c1`. */
  id: string;
  name: string;
  field: IConditionField;
  operation: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  /** Indexes of the values that do not parse. */
  invalid: ReadonlySet<number>;
  describedBy?: string;
  trans: Translate;
}

let regionOptions: { code: string; label: string }[] | null = null;
/** Region codes with their names, sorted by name. */
function regions(): { code: string; label: string }[] {
  if (!regionOptions) {
    regionOptions = REGION_CODES.map(code => ({
      code,
      label: `${regionName(code)} (${code})`
    })).sort((a, b) => a.label.localeCompare(b.label));
  }
  return regionOptions;
}

/** A choice among fixed values (region, enum, bool), or '' for "choose". */
function ChoiceSelect(props: {
  id: string;
  label: string;
  value: string;
  options: { code: string; label: string }[];
  onChange: (value: string) => void;
  invalid?: boolean;
  describedBy?: string;
  placeholder: string;
}): JSX.Element {
  const known =
    props.value === '' ||
    props.options.some(option => option.code === props.value);
  return (
    <Select
      id={props.id}
      className="jp-vce-QB-select"
      aria-label={props.label}
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.describedBy}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
    >
      <option value="">{props.placeholder}</option>
      {!known && <option value={props.value}>{props.value}</option>}
      {props.options.map(option => (
        <option key={option.code} value={option.code}>
          {option.label}
        </option>
      ))}
    </Select>
  );
}

function choicesOf(
  field: IConditionField,
  trans: Translate
): { code: string; label: string }[] | null {
  switch (editorKind(field)) {
    case 'region':
      return regions();
    case 'enum':
      return field.values!.map(value => ({ code: value, label: value }));
    case 'bool':
      return [
        { code: 'true', label: trans.__('true') },
        { code: 'false', label: trans.__('false') }
      ];
    default:
      return null;
  }
}

/** One typed value: a text box (numbers, text), or a time with a date picker. */
function SingleValue(props: IValueEditorProps): JSX.Element {
  const { field, trans } = props;
  const value = props.values[0] ?? '';
  const kind = editorKind(field);
  const label = trans.__('Value of %1', props.name);
  const choices = choicesOf(field, trans);
  if (choices) {
    return (
      <ChoiceSelect
        id={`${props.id}-value`}
        label={label}
        value={value}
        options={choices}
        placeholder={trans.__('Choose…')}
        invalid={props.invalid.has(0)}
        describedBy={props.describedBy}
        onChange={next => props.onChange(next === '' ? [] : [next])}
      />
    );
  }
  const input = (
    <input
      id={`${props.id}-value`}
      className="jp-mod-styled jp-vce-QB-input"
      type="text"
      inputMode={kind === 'number' || kind === 'time' ? 'numeric' : 'text'}
      aria-label={label}
      aria-invalid={props.invalid.has(0) || undefined}
      aria-describedby={props.describedBy}
      placeholder={
        kind === 'number'
          ? trans.__('e.g. 10')
          : kind === 'time'
            ? trans.__('YYYYMMDD or epoch seconds')
            : trans.__('text')
      }
      value={value}
      onChange={event =>
        props.onChange(event.target.value === '' ? [] : [event.target.value])
      }
    />
  );
  if (kind !== 'time') {
    return input;
  }
  const meaning = value ? describeTime(value, trans) : null;
  return (
    <span className="jp-vce-QB-time">
      {input}
      <input
        className="jp-mod-styled jp-vce-QB-date"
        type="date"
        aria-label={trans.__('Pick a date for %1 (UTC)', props.name)}
        value={dayToIsoDate(value)}
        onChange={event => {
          const day = isoDateToDay(event.target.value);
          props.onChange(day ? [day] : []);
        }}
      />
      {meaning && <span className="jp-vce-QB-hint">{meaning}</span>}
    </span>
  );
}

/** Several values as chips, with a box (or a list) to add one. */
function ManyValues(props: IValueEditorProps): JSX.Element {
  const { field, trans } = props;
  const [draft, setDraft] = React.useState('');
  const choices = choicesOf(field, trans);
  // Numbers, codes and ids may be pasted as "a, b, c"; text values keep their commas.
  const splits = editorKind(field) !== 'text';
  const add = (text: string) => {
    const parts = (
      splits ? text.split(',').map(part => part.trim()) : [text]
    ).filter(part => part.trim().length > 0 && !props.values.includes(part));
    if (parts.length > 0) {
      props.onChange([...props.values, ...parts]);
    }
    setDraft('');
  };
  const remove = (index: number) =>
    props.onChange(props.values.filter((_, at) => at !== index));
  const label = trans.__('Add a value to %1 %2', props.name, props.operation);
  return (
    <div
      className="jp-vce-QB-chips"
      role="group"
      aria-label={trans.__('Values of %1', props.name)}
    >
      <ul className="jp-vce-QB-chipList">
        {props.values.map((value, index) => (
          <li
            key={`${index}:${value}`}
            className={
              'jp-vce-QB-chip' +
              (props.invalid.has(index) ? ' jp-mod-invalid' : '')
            }
            title={
              field.type === 'region'
                ? regionName(value.toUpperCase())
                : undefined
            }
          >
            <span>{value === '' ? trans.__('(empty)') : value}</span>
            <button
              type="button"
              className="jp-vce-QB-chipRemove"
              aria-label={trans.__('Remove the value %1', value)}
              onClick={() => remove(index)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {choices ? (
        <ChoiceSelect
          id={`${props.id}-value`}
          label={label}
          value=""
          options={choices.filter(
            choice => !props.values.includes(choice.code)
          )}
          placeholder={trans.__('Add…')}
          describedBy={props.describedBy}
          onChange={value => value && add(value)}
        />
      ) : (
        <input
          id={`${props.id}-value`}
          className="jp-mod-styled jp-vce-QB-input"
          type="text"
          aria-label={label}
          aria-describedby={props.describedBy}
          placeholder={trans.__('Type a value, Enter to add')}
          value={draft}
          onChange={event => setDraft(event.target.value)}
          onKeyDown={event => {
            if (
              event.key === 'Enter' ||
              (event.key === ',' && editorKind(field) !== 'text')
            ) {
              event.preventDefault();
              add(draft);
            } else if (
              event.key === 'Backspace' &&
              draft === '' &&
              props.values.length > 0
            ) {
              remove(props.values.length - 1);
            }
          }}
          onBlur={() => draft.trim() && add(draft)}
        />
      )}
    </div>
  );
}

/** The editor a field and operation take. */
export function ValueEditor(props: IValueEditorProps): JSX.Element {
  return takesManyValues(props.operation, props.values) ? (
    <ManyValues {...props} />
  ) : (
    <SingleValue {...props} />
  );
}
