import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { corePlugin } from './plugins/core';
import { statusBarPlugin } from './plugins/status-bar';
import { jobsPlugin } from './plugins/jobs';
import { queryBuilderPlugin } from './plugins/query-builder';
import { templatePlugin } from './plugins/template';
import { inboxPlugin } from './plugins/inbox';

export { CommandIDs } from './commands';
export { IVCEConnection } from './tokens';

const plugins: JupyterFrontEndPlugin<any>[] = [
  corePlugin,
  statusBarPlugin,
  jobsPlugin,
  queryBuilderPlugin,
  templatePlugin,
  inboxPlugin
];

export default plugins;
