/**
 * Every chooser of the extension (the builder's, the jobs list's filter): JupyterLab's own
 * `HTMLSelect` (a native `select`, so the keyboard works as everywhere, with
 * JupyterLab's caret), framed like the text boxes beside it.
 */
import * as React from 'react';
import { HTMLSelect } from '@jupyterlab/ui-components';
import '../../style/select.css';

export interface ISelectProps extends Omit<
  React.SelectHTMLAttributes<HTMLSelectElement>,
  'className'
> {
  /** Classes of the wrapper (HTMLSelect puts `className` there, not on the select). */
  className?: string;
  children: React.ReactNode;
}

export function Select(props: ISelectProps): JSX.Element {
  const { className, children, ...rest } = props;
  return (
    <HTMLSelect
      className={'jp-vce-Select' + (className ? ` ${className}` : '')}
      {...rest}
    >
      {children}
    </HTMLSelect>
  );
}
