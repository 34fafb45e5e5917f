import type { ISettingRegistry } from '@jupyterlab/settingregistry';

/** Extra checks of a setting's value beyond its type (an enum, say). */
export type SettingChecks<T> = { [K in keyof T]?: (value: unknown) => boolean };

/**
 * A plugin's settings (schema/*.json), typed: the defaults overlaid with the
 * composite values that have the default's type (and pass its check, if any).
 * Without a setting registry the defaults stay and nothing changes.
 */
export class PluginSettings<T extends object> {
  /**
   * Load a plugin's settings; rejects when the registry cannot load them (the
   * caller decides whether that is fatal).
   */
  static async load<T extends object>(
    registry: ISettingRegistry | null,
    pluginId: string,
    defaults: T,
    checks: SettingChecks<T> = {}
  ): Promise<PluginSettings<T>> {
    const settings = registry ? await registry.load(pluginId) : null;
    return new PluginSettings(settings, defaults, checks);
  }

  private constructor(
    private readonly _settings: ISettingRegistry.ISettings | null,
    private readonly _defaults: T,
    private readonly _checks: SettingChecks<T>
  ) {
    this._current = this._read();
  }

  /** The values now. */
  get current(): T {
    return this._current;
  }

  /** Call `listener` with the new values each time the user changes them. */
  onChange(listener: (values: T) => void): void {
    this._settings?.changed.connect(() => {
      this._current = this._read();
      listener(this._current);
    });
  }

  private _read(): T {
    const values = { ...this._defaults };
    const composite = (this._settings?.composite ?? {}) as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(values) as (keyof T & string)[]) {
      const value = composite[key];
      const check = this._checks[key];
      if (
        typeof value === typeof this._defaults[key] &&
        (!check || check(value))
      ) {
        values[key] = value as T[typeof key];
      }
    }
    return values;
  }

  private _current: T;
}
