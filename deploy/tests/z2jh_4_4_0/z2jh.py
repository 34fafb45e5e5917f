"""The chart's ``z2jh`` helpers, for the chart's jupyterhub_config.py loaded in a test.

In the hub pod, jupyterhub_config.py (this folder, verbatim from the chart 4.4.0) imports
``z2jh`` (jupyterhub/zero-to-jupyterhub-k8s tag 4.4.0, jupyterhub/files/hub/z2jh.py), whose
functions read the chart's values, resource names and secrets from the ConfigMap and Secret
mounted at /usr/local/etc/jupyterhub/. This module has the same functions with the same
logic, reading them from what :func:`load` was given (deploy/tests/z2jh_render.py) instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

_values: dict[str, Any] = {}
_names: dict[str, str] = {}
_secrets: dict[str, str] = {}
_environ: dict[str, str] = {}


def load(
    values: dict[str, Any],
    names: Mapping[str, str],
    secrets: Mapping[str, str],
    environ: Mapping[str, str],
) -> None:
    """Set what the chart would mount: the merged values, the resource names, the Secret's keys
    and the hub pod's environment (the Services' *_SERVICE_* variables)."""
    _values.clear()
    _values.update(values)
    _names.clear()
    _names.update(names)
    _secrets.clear()
    _secrets.update(secrets)
    _environ.clear()
    _environ.update(environ)


def get_secret_value(key: str, default: str = "never-explicitly-set") -> str:
    if key in _secrets:
        return _secrets[key]
    if default != "never-explicitly-set":
        return default
    raise Exception(f"{key} not found in either k8s Secret!")


def get_name(name: str) -> str:
    """The full name of a resource, as the chart's name templates render it."""
    return _names[name]


def get_name_env(name: str, suffix: str = "") -> str:
    env_key = (_names[name] + suffix).upper().replace("-", "_")
    return _environ.get(env_key, os.environ.get(env_key, ""))


def _merge_dictionaries(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(a)
    for key in b:
        if key in a and isinstance(a[key], Mapping) and isinstance(b[key], Mapping):
            merged[key] = _merge_dictionaries(a[key], b[key])
        else:
            merged[key] = b[key]
    return merged


def get_config(key: str, default: Any = None) -> Any:
    """``get_config("a.b.c")`` is values["a"]["b"]["c"], or ``default`` if a level is missing."""
    value: Any = _values
    for level in key.split("."):
        if not isinstance(value, dict) or level not in value:
            return default
        value = value[level]
    return value


def set_config_if_not_none(cparent: Any, name: str, key: str) -> None:
    data = get_config(key)
    if data is not None:
        setattr(cparent, name, data)
