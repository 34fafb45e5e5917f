/** Small pieces of the Query Builder panel: icon buttons, the problem list, the cell preview and the sample preview. */
import * as React from 'react';
import type { IBuilderActions } from './actions';
import { addIcon } from '@jupyterlab/ui-components';
import { IProblem } from '../query/validate';
import { QueryBuilderModel } from './model';
import { ResultTable } from './ResultTable';

export function IconButton(props: {
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

/** A section of the form named by its heading (a `group` labelled by the `h3`). */
export function TitledGroup(props: {
  titleId: string;
  title: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <div
      className="jp-vce-QB-section"
      role="group"
      aria-labelledby={props.titleId}
    >
      <h3 id={props.titleId} className="jp-vce-QB-heading">
        {props.title}
      </h3>
      {props.children}
    </div>
  );
}

export function Problems(props: {
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
export function CodePreview(props: {
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

export function PreviewResult(props: {
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
      // The quota as it is now (the status bar's), not as it was when the sample came.
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
              quota: model.quota ?? preview.quota
            }}
            trans={trans}
          />
        </div>
      );
  }
}
