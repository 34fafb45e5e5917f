"""What a Zero to JupyterHub 4.4.0 hub makes of deploy/z2jh/values.yaml, without a cluster.

The hub pod of the chart runs the chart's jupyterhub_config.py, which reads the chart's values
(the chart's defaults under the deployment's values, as Helm merges them), its resource names
and its Secret, and maps them onto JupyterHub and KubeSpawner traits. Here the same file
(z2jh_4_4_0/jupyterhub_config.py, verbatim from the chart's tag 4.4.0) is loaded with traitlets'
config loader, beside a ``z2jh`` module (z2jh_4_4_0/z2jh.py) that serves it the merged values,
the names and the Secret's keys: the configuration is the chart's own mapping, not a copy of it.
deploy/tests/test_z2jh_pod.py builds KubeSpawner from it as KubeSpawner's tests do
(``KubeSpawner(_mock=True, user=…, hub=Hub(), config=…)`` then ``get_pod_manifest()``).

Helm refuses values its chart's values.schema.json rejects: z2jh_4_4_0/values.schema.json is the
chart's jupyterhub/values.schema.yaml of tag 4.4.0 as the chart's tools/generate-json-schema.py
packages it (the descriptions dropped), and :func:`schema_errors` checks the merged values
against it.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import jsonschema
import yaml
from tornado.httpclient import AsyncHTTPClient
from traitlets.config import Config, PyFileConfigLoader

CHART_DIR = Path(__file__).parent / "z2jh_4_4_0"
CHART = {"Name": "jupyterhub", "Version": "4.4.0", "AppVersion": "5.5.0"}
# The chart's Services' ports, as Kubernetes sets *_SERVICE_PORT in the hub pod.
SERVICE_PORTS = {"PROXY_API_SERVICE_PORT": "8001", "HUB_SERVICE_PORT": "8081"}


class RenderError(Exception):
    """The values cannot be rendered here: says which and why."""


def helm_merge(defaults: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's merge of a deployment's values over a chart's: maps merge key by key, anything
    else (lists too) replaces the default, and a null removes the key (Helm's coalescing drops
    null keys, so a chart default of null reads as unset in the hub's values)."""
    merged = copy.deepcopy(dict(defaults))
    for key, value in values.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return _without_nulls(merged)


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _without_nulls(value) if isinstance(value, dict) else value
        for key, value in values.items()
        if value is not None
    }


def chart_values(values_file: Path, release: str, namespace: str) -> dict[str, Any]:
    """The values the hub reads (templates/hub/secret.yaml: .Values plus Chart and Release)."""
    defaults = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    deployment = yaml.safe_load(values_file.read_text()) or {}
    if not isinstance(deployment, dict):
        raise RenderError(f"{values_file} is not a YAML mapping of chart values.")
    merged = helm_merge(defaults, deployment)
    merged["Chart"] = dict(CHART)
    merged["Release"] = {"Name": release, "Namespace": namespace, "Service": "Helm"}
    return merged


def schema_errors(values: Mapping[str, Any]) -> list[str]:
    """What the chart's schema finds wrong in merged values (Helm checks them at install)."""
    schema = json.loads((CHART_DIR / "values.schema.json").read_text())
    chart_only = {k: v for k, v in values.items() if k not in ("Chart", "Release")}
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'.'.join(str(part) for part in error.path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(chart_only)
    ]


def resource_names(values: Mapping[str, Any], release: str) -> dict[str, str]:
    """The names jupyterhub_config.py asks for (templates/_helpers-names.tpl)."""
    fullname = values.get("fullnameOverride")
    if not isinstance(fullname, str):
        raise RenderError(
            'fullnameOverride must be a string here (the chart\'s default is ""); names derived '
            "from the release name are not rendered by this test."
        )
    dash = f"{fullname}-" if fullname else ""
    return {
        "hub": f"{dash}hub",
        "proxy-api": f"{dash}proxy-api",
        "image-pull-secret": f"{dash}image-pull-secret",
        "singleuser": f"{dash}singleuser",
        "user-scheduler": f"{dash}user-scheduler" if fullname else f"{release}-user-scheduler",
        "priority": fullname if fullname else f"{release}-default-priority",
    }


def _z2jh_module() -> Any:
    spec = importlib.util.spec_from_file_location("z2jh", CHART_DIR / "z2jh.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hub_config(
    values_file: Path,
    secrets: Mapping[str, str],
    *,
    release: str = "vce",
    namespace: str = "vce",
) -> Config:
    """The traitlets Config the chart's hub runs with for ``values_file``.

    ``secrets``: the keys of the chart's hub Secret the configuration reads
    (``hub.config.CryptKeeper.keys``, ``hub.config.JupyterHub.cookie_secret``).
    """
    values = chart_values(values_file, release, namespace)
    z2jh = _z2jh_module()
    z2jh.load(values, resource_names(values, release), secrets, SERVICE_PORTS)
    path_before = list(sys.path)
    # The configuration picks the curl HTTP client of the hub image (pycurl); recorded here,
    # not imported, so the test's own clients stay tornado's default.
    sys.modules["z2jh"] = z2jh
    with (
        mock.patch.dict("os.environ", {"POD_NAMESPACE": namespace}),
        mock.patch.object(AsyncHTTPClient, "configure") as configure,
    ):
        try:
            config = PyFileConfigLoader("jupyterhub_config.py", path=str(CHART_DIR)).load_config()
        finally:
            sys.modules.pop("z2jh", None)
            sys.path[:] = path_before
    configure.assert_called_once_with("tornado.curl_httpclient.CurlAsyncHTTPClient")
    return config


def offline_kubeconfig(folder: Path) -> Path:
    """A kubeconfig naming a cluster that is never contacted: KubeSpawner loads one when it is
    built (kubespawner/clients.py load_config); rendering a pod makes no request."""
    path = folder / "kubeconfig"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
                "users": [{"name": "none", "user": {"token": "not-used"}}],
                "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none"}}],
                "current-context": "none",
            }
        )
    )
    return path
