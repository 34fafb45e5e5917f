import type { TranslationBundle } from '@jupyterlab/translation';

/** The part of a translation bundle the pure modules use (one type for the whole extension). */
export type Translate = Pick<TranslationBundle, '__'>;

/** A stand-in bundle for tests and callers without a translator. */
export const plainTranslate: Translate = {
  __: (msgid: string, ...args: unknown[]) =>
    args.reduce<string>(
      (text, arg, index) => text.split(`%${index + 1}`).join(String(arg)),
      msgid
    )
};

/** The extension's translation domain (its `.mo` catalogue's name). */
export const TRANSLATION_DOMAIN = 'jupyterlab_vce';
