/**
 * Element ids of one builder view. The sidebar's view and the main area's
 * show the same model at once, so each view prefixes its ids (labels, the
 * limit's problems) with its own: the sidebar's `jp-vce-qb`, the main
 * area's `jp-vce-qbm`.
 */
import * as React from 'react';

export const SIDEBAR_ID_PREFIX = 'jp-vce-qb';
export const MAIN_AREA_ID_PREFIX = 'jp-vce-qbm';

export const IdPrefix = React.createContext(SIDEBAR_ID_PREFIX);

/** The prefix of the view a part renders in. */
export function useIdPrefix(): string {
  return React.useContext(IdPrefix);
}
