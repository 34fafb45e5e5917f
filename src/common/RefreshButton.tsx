import * as React from 'react';

/** The ⟳ button of a panel's header: `label` names what it refreshes, for screen readers and as a tooltip. */
export function RefreshButton(props: {
  label: string;
  onRefresh: () => void;
}): JSX.Element {
  return (
    <button
      className="jp-mod-styled jp-vce-Refresh"
      onClick={props.onRefresh}
      aria-label={props.label}
      title={props.label}
    >
      ⟳
    </button>
  );
}
