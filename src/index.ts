import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { corePlugin } from './plugins/core';
import { statusBarPlugin } from './plugins/status-bar';
import { queryBuilderPlugin, shieldPlugin } from './plugins/sidebars';

export { IVCEConnection, CommandIDs } from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [
  corePlugin,
  statusBarPlugin,
  shieldPlugin,
  queryBuilderPlugin
];

export default plugins;
