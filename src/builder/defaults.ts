import type { ResultOutput } from '../query/generate';

/** The builder's defaults a new query starts from (the plugin's settings change them). */
export interface IBuilderDefaults {
  limit: number;
  output: ResultOutput;
}

export const BUILDER_DEFAULTS: IBuilderDefaults = {
  limit: 10,
  output: 'display'
};
