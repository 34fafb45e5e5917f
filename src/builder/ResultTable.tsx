import * as React from 'react';
import { IQueryResultData, renderResult } from '../renderer/table';
import { Translate } from '../common/translate';

/** The records table of the renderer, in React. */
export function ResultTable(props: {
  data: IQueryResultData;
  trans: Translate;
}): JSX.Element {
  const ref = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (ref.current) {
      renderResult(ref.current, props.data, props.trans);
    }
  }, [props.data, props.trans]);
  return <div ref={ref} />;
}
