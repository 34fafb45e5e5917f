"""The hub configuration Zero to JupyterHub 4.4.0 would derive from deploy/z2jh/values.yaml.

Our own mapping, written from the chart's documentation and its hub configuration
(jupyterhub/zero-to-jupyterhub-k8s tag 4.4.0: ``jupyterhub/files/hub/jupyterhub_config.py``,
``jupyterhub/values.yaml``, ``jupyterhub/templates/_helpers-names.tpl``, and the docs under
``docs/source/``: ``jupyterhub/customizing/user-{resources,storage,environment,management}.md``,
``administrator/security.md``, ``administrator/optimization.md``). It covers the keys our values file
sets plus the chart defaults that shape a researcher's pod (:data:`CHART_DEFAULTS`), and nothing
else: a key that is neither mapped (:data:`MAPPED`) nor known to act outside the hub's
configuration (:data:`OUTSIDE_THE_HUB_CONFIG`) is refused, so the test cannot pass on a key it
does not understand. deploy/tests/test_z2jh_pod.py builds KubeSpawner from the result as
KubeSpawner's own tests do (``KubeSpawner(_mock=True, user=…, hub=Hub(), config=…)``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from traitlets.config import Config

CHART = {"name": "jupyterhub", "version": "4.4.0"}

# The chart's defaults that matter for the hub's spawner and the researcher's pod, as facts
# (chart 4.4.0, jupyterhub/values.yaml unless noted). Our values are merged over these.
CHART_DEFAULTS: dict[str, Any] = {
    "hub": {
        # values.yaml hub.config.JupyterHub: the chart's own pass-through defaults.
        "config": {"JupyterHub": {"admin_access": True, "authenticator_class": "dummy"}},
    },
    "singleuser": {
        "cmd": "jupyterhub-singleuser",  # values.yaml singleuser.cmd
        "uid": 1000,  # singleuser.uid (jovyan in the docker-stacks images)
        "fsGid": 100,  # singleuser.fsGid (the group "users")
        "allowPrivilegeEscalation": False,  # singleuser.allowPrivilegeEscalation
        "startTimeout": 300,  # singleuser.startTimeout, seconds
        # singleuser.extraLabels: lets the pod through the hub's NetworkPolicy.
        "extraLabels": {"hub.jupyter.org/network-access-hub": "true"},
        "memory": {"guarantee": "1G"},  # singleuser.memory.guarantee; no limit by default
        "storage": {
            "type": "dynamic",  # singleuser.storage.type
            "capacity": "10Gi",  # singleuser.storage.capacity
            "homeMountPath": "/home/jovyan",  # singleuser.storage.homeMountPath
            "dynamic": {
                "volumeNameTemplate": "volume-{user_server}",
                "storageAccessModes": ["ReadWriteOnce"],
            },
        },
        "cloudMetadata": {"blockWithIptables": True, "ip": "169.254.169.254"},
        # singleuser.networkTools.image; the tag is the chart's version (chartpress sets it).
        "networkTools": {"image": "quay.io/jupyterhub/k8s-network-tools:4.4.0"},
    },
    # scheduling.userScheduler.enabled, scheduling.userPods.{tolerations,nodeAffinity}.
    "scheduling": {
        "userScheduler": {"enabled": True},
        "userPods": {
            "tolerations": [
                {"key": key, "operator": "Equal", "value": "user", "effect": "NoSchedule"}
                for key in ("hub.jupyter.org/dedicated", "hub.jupyter.org_dedicated")
            ],
            "matchNodePurpose": "prefer",
        },
    },
    # cull.*: on by default, 10 at a time, admin users' servers culled too, no max age.
    "cull": {"enabled": True, "timeout": 3600, "every": 600, "concurrency": 10, "maxAge": 0},
    "debug": {"enabled": False},
}


class RenderError(Exception):
    """The values cannot be rendered: says which key and what to do."""


def helm_merge(defaults: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's merge of a deployment's values over a chart's: maps merge key by key, anything
    else (lists too) replaces the default, and a null removes the key."""
    merged = copy.deepcopy(dict(defaults))
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def leaf_keys(values: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of the values' leaves: scalars, lists and empty maps."""
    keys: list[str] = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            keys.extend(leaf_keys(value, f"{path}."))
        else:
            keys.append(path)
    return keys


def _get(values: Mapping[str, Any], key: str) -> Any:
    node: Any = values
    for level in key.split("."):
        if not isinstance(node, Mapping) or level not in node:
            return None
        node = node[level]
    return node


# --- The mapping: each function sets traits from the merged values. ---------------------------
# Sources are chart 4.4.0's files/hub/jupyterhub_config.py (named "config.py" below) and docs.


def _spawner_basics(c: Config, v: Mapping[str, Any], release: str, namespace: str) -> None:
    # config.py sets the spawner and keeps user pods when the hub restarts.
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.JupyterHub.cleanup_servers = False
    # config.py: the hub pod's POD_NAMESPACE, i.e. the release's namespace.
    c.KubeSpawner.namespace = namespace
    # config.py "common labels": the chart's labels, which its NetworkPolicies select.
    c.KubeSpawner.common_labels = {
        "app.kubernetes.io/name": CHART["name"],
        "app": CHART["name"],
        "app.kubernetes.io/instance": release,
        "release": release,
        "helm.sh/chart": f"{CHART['name']}-{CHART['version']}",
        "chart": f"{CHART['name']}-{CHART['version']}",
        "app.kubernetes.io/managed-by": "kubespawner",
    }
    # singleuser.cmd -> Spawner.cmd (config.py, "singleuser.cmd").
    c.Spawner.cmd = v["singleuser"]["cmd"]
    # singleuser.startTimeout -> KubeSpawner.start_timeout (config.py trait loop).
    c.KubeSpawner.start_timeout = v["singleuser"]["startTimeout"]
    # singleuser.extraLabels -> KubeSpawner.extra_labels (config.py trait loop).
    c.KubeSpawner.extra_labels = dict(v["singleuser"]["extraLabels"])


def _image(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.image.{name,tag} -> KubeSpawner.image "name:tag" (config.py, "singleuser.image").
    image = v["singleuser"]["image"]
    c.KubeSpawner.image = f"{image['name']}:{image['tag']}" if image.get("tag") else image["name"]


def _default_url(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.defaultUrl -> Spawner.default_url (config.py, "singleuser.defaultUrl").
    c.Spawner.default_url = v["singleuser"]["defaultUrl"]


def _environment(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.extraEnv -> KubeSpawner.environment (config.py trait loop, "extraEnv").
    c.KubeSpawner.environment = dict(v["singleuser"]["extraEnv"])


def _security(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.uid -> KubeSpawner.uid, singleuser.fsGid -> KubeSpawner.fs_gid (config.py trait
    # loop); singleuser.allowPrivilegeEscalation -> KubeSpawner.allow_privilege_escalation, set
    # even when null (config.py, "allow_privilege_escalation").
    c.KubeSpawner.uid = v["singleuser"]["uid"]
    c.KubeSpawner.fs_gid = v["singleuser"]["fsGid"]
    c.KubeSpawner.allow_privilege_escalation = v["singleuser"].get("allowPrivilegeEscalation")


def _resources(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.memory.{limit,guarantee} -> KubeSpawner.mem_{limit,guarantee} and
    # singleuser.cpu.{limit,guarantee} -> KubeSpawner.cpu_{limit,guarantee} (config.py trait
    # loop; docs customizing/user-resources.md: guarantee = request, limit = limit).
    for section, trait in (("memory", "mem"), ("cpu", "cpu")):
        for kind in ("limit", "guarantee"):
            value = _get(v, f"singleuser.{section}.{kind}")
            if value is not None:
                c.KubeSpawner[f"{trait}_{kind}"] = value


def _storage(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.storage.type "dynamic" -> one PVC per user (KubeSpawner.storage_pvc_ensure),
    # storage.capacity -> KubeSpawner.storage_capacity, storage.dynamic.storageAccessModes ->
    # storage_access_modes, and a volume "volume-{user_server}" on claim "{pvc_name}" mounted at
    # storage.homeMountPath (config.py, "singleuser.storage"; docs customizing/user-storage.md).
    storage = v["singleuser"]["storage"]
    if storage["type"] != "dynamic":
        raise RenderError(
            f"singleuser.storage.type {storage['type']!r} is not rendered here: only 'dynamic' is "
            "mapped (deploy/tests/z2jh_render.py). Map the other type before using it."
        )
    name = storage["dynamic"]["volumeNameTemplate"]
    c.KubeSpawner.storage_pvc_ensure = True
    c.KubeSpawner.storage_capacity = storage["capacity"]
    c.KubeSpawner.storage_access_modes = list(storage["dynamic"]["storageAccessModes"])
    c.KubeSpawner.volumes = {
        name: {"name": name, "persistentVolumeClaim": {"claimName": "{pvc_name}"}}
    }
    c.KubeSpawner.volume_mounts = {name: {"name": name, "mountPath": storage["homeMountPath"]}}


def _cloud_metadata(c: Config, v: Mapping[str, Any]) -> None:
    # singleuser.cloudMetadata.blockWithIptables -> a privileged init container of the network
    # tools image that drops TCP port 80 to cloudMetadata.ip (config.py, "cloud_metadata";
    # docs administrator/security.md).
    metadata = v["singleuser"]["cloudMetadata"]
    if metadata.get("blockWithIptables") is not True:
        c.KubeSpawner.init_containers = []
        return
    drop = ["--protocol", "tcp", "--destination", metadata["ip"], "--destination-port", "80"]
    c.KubeSpawner.init_containers = [
        {
            "name": "block-cloud-metadata",
            "image": v["singleuser"]["networkTools"]["image"],
            "command": ["iptables", "--append", "OUTPUT", *drop, "--jump", "DROP"],
            "securityContext": {
                "privileged": True,
                "runAsUser": 0,
                "capabilities": {"add": ["NET_ADMIN"]},
            },
        }
    ]


def _scheduling(c: Config, v: Mapping[str, Any], release: str) -> None:
    # scheduling.userScheduler.enabled -> KubeSpawner.scheduler_name, "<release>-user-scheduler"
    # with the default fullnameOverride "" (config.py "scheduling"; _helpers-names.tpl).
    if v["scheduling"]["userScheduler"]["enabled"]:
        c.KubeSpawner.scheduler_name = f"{release}-user-scheduler"
    # scheduling.userPods.tolerations -> KubeSpawner.tolerations; matchNodePurpose "prefer" ->
    # a weight-100 preference for nodes labelled hub.jupyter.org/node-purpose=user (config.py;
    # docs administrator/optimization.md).
    pods = v["scheduling"]["userPods"]
    c.KubeSpawner.tolerations = list(pods["tolerations"])
    term = {
        "matchExpressions": [
            {"key": "hub.jupyter.org/node-purpose", "operator": "In", "values": ["user"]}
        ]
    }
    if pods["matchNodePurpose"] == "prefer":
        c.KubeSpawner.node_affinity_preferred = [{"weight": 100, "preference": term}]
    elif pods["matchNodePurpose"] == "require":
        c.KubeSpawner.node_affinity_required = [term]


def _culling(c: Config, v: Mapping[str, Any]) -> None:
    # cull.* -> a hub-managed service running jupyterhub-idle-culler with --timeout,
    # --cull-every, --concurrency and --max-age (each left out when 0), and a role with the
    # scopes it needs (config.py "cull"; docs customizing/user-management.md).
    cull = v["cull"]
    if not cull["enabled"]:
        return
    command = ["python3", "-m", "jupyterhub_idle_culler", "--url=http://localhost:8081/hub/api"]
    for key, flag in (
        ("timeout", "timeout"),
        ("every", "cull-every"),
        ("concurrency", "concurrency"),
        ("maxAge", "max-age"),
    ):
        if cull.get(key):
            command.append(f"--{flag}={cull[key]}")
    name = "jupyterhub-idle-culler"
    c.JupyterHub.services = [{"name": name, "command": command}]
    scopes = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
    c.JupyterHub.load_roles = [{"name": name, "scopes": scopes, "services": [name]}]


def _debug(c: Config, v: Mapping[str, Any]) -> None:
    # debug.enabled -> JupyterHub.log_level "DEBUG" and Spawner.debug (config.py, "debug").
    if v["debug"]["enabled"]:
        c.JupyterHub.log_level = "DEBUG"
        c.Spawner.debug = True


def _secrets(c: Config, secrets: Mapping[str, str]) -> None:
    # The chart's hub Secret (templates/hub/secret.yaml) -> JupyterHub.cookie_secret and
    # CryptKeeper.keys, the keys ";"-separated in the Secret (config.py, "seeded secrets").
    c.JupyterHub.cookie_secret = secrets["hub.config.JupyterHub.cookie_secret"]
    c.CryptKeeper.keys = secrets["hub.config.CryptKeeper.keys"].split(";")


# Secrets the chart takes from its Secret, never from hub.config (config.py drops them there).
_SECRET_TRAITS = {
    "JupyterHub": ("cookie_secret", "proxy_auth_token", "services"),
    "ConfigurableHTTPProxy": ("auth_token",),
    "CryptKeeper": ("keys",),
}


def _pass_through(c: Config, v: Mapping[str, Any]) -> None:
    # hub.config.<Class>.<trait> -> c.<Class>.<trait>, section by section; a section must be a
    # Configurable's name (upper case first) (config.py, "pass-through config"; docs
    # reference: hub.config).
    for section, traits in v["hub"].get("config", {}).items():
        if not section[:1].isupper():
            raise RenderError(
                f"hub.config.{section}: a hub.config section is a class name such as "
                "JupyterHub or KubeSpawner; move the key to where it belongs."
            )
        kept = {k: val for k, val in traits.items() if k not in _SECRET_TRAITS.get(section, ())}
        c[section].update(kept)


def _extra_config(c: Config, v: Mapping[str, Any]) -> None:
    # hub.extraConfig.<name>: Python run last, in name order, with the config as ``c``
    # (config.py, "hub.extraConfig"). These snippets are ours (deploy/z2jh/values.yaml).
    for _, snippet in sorted(v["hub"].get("extraConfig", {}).items()):
        exec(compile(snippet, "hub.extraConfig", "exec"), {"c": c})


# Every key of our values file that reaches the hub's configuration, and the trait it sets
# (source: chart 4.4.0 files/hub/jupyterhub_config.py, named "config.py"; the function above
# that does it). A key ending a map passed on whole covers the keys under it.
MAPPED: dict[str, str] = {
    # hub.config.X.Y -> c.X.Y, secrets excepted (config.py "pass-through"; _pass_through)
    "hub.config": "c.<Class>.<trait>",
    # hub.extraConfig.<name> -> run with ``c`` after everything else (config.py; _extra_config)
    "hub.extraConfig": "Python run against c",
    # singleuser.image.{name,tag} -> KubeSpawner.image (config.py "singleuser.image"; _image)
    "singleuser.image.name": "KubeSpawner.image",
    "singleuser.image.tag": "KubeSpawner.image",
    # singleuser.defaultUrl -> Spawner.default_url (config.py "singleuser.defaultUrl")
    "singleuser.defaultUrl": "Spawner.default_url",
    # singleuser.extraEnv -> KubeSpawner.environment (config.py trait loop, "extraEnv")
    "singleuser.extraEnv": "KubeSpawner.environment",
    # singleuser.uid / fsGid -> KubeSpawner.uid / fs_gid (config.py trait loop; _security)
    "singleuser.uid": "KubeSpawner.uid",
    "singleuser.fsGid": "KubeSpawner.fs_gid",
    # singleuser.allowPrivilegeEscalation -> KubeSpawner.allow_privilege_escalation (config.py)
    "singleuser.allowPrivilegeEscalation": "KubeSpawner.allow_privilege_escalation",
    # singleuser.memory.* / cpu.* -> KubeSpawner.mem_* / cpu_* (config.py trait loop;
    # docs customizing/user-resources.md; _resources)
    "singleuser.memory.limit": "KubeSpawner.mem_limit",
    "singleuser.memory.guarantee": "KubeSpawner.mem_guarantee",
    "singleuser.cpu.limit": "KubeSpawner.cpu_limit",
    "singleuser.cpu.guarantee": "KubeSpawner.cpu_guarantee",
    # singleuser.storage.* -> a PVC per user and the home mount (config.py "singleuser.storage";
    # docs customizing/user-storage.md; _storage)
    "singleuser.storage.type": "KubeSpawner.storage_pvc_ensure, volumes",
    "singleuser.storage.capacity": "KubeSpawner.storage_capacity",
    "singleuser.storage.homeMountPath": "KubeSpawner.volume_mounts",
    # singleuser.cloudMetadata.blockWithIptables -> KubeSpawner.init_containers (config.py
    # "cloud_metadata"; _cloud_metadata)
    "singleuser.cloudMetadata.blockWithIptables": "KubeSpawner.init_containers",
    # cull.* -> the idle culler as a hub service with its role (config.py "cull"; _culling)
    "cull.enabled": "JupyterHub.services, JupyterHub.load_roles",
    "cull.timeout": "JupyterHub.services (--timeout)",
    "cull.every": "JupyterHub.services (--cull-every)",
    "cull.maxAge": "JupyterHub.services (--max-age)",
    # debug.enabled -> JupyterHub.log_level, Spawner.debug (config.py "debug"; _debug)
    "debug.enabled": "JupyterHub.log_level, Spawner.debug",
}

# Keys that act through the chart's templates, not the hub's configuration: they do not shape
# the pod KubeSpawner makes (reason, chart 4.4.0 source).
OUTSIDE_THE_HUB_CONFIG: dict[str, str] = {
    "hub.image": "the hub's own container image (templates/hub/deployment.yaml)",
    "hub.existingSecret": "where the hub Secret comes from (templates/hub/secret.yaml)",
    "singleuser.networkPolicy": (
        "a NetworkPolicy selecting the user pods by the chart's labels "
        "(templates/singleuser/netpol.yaml), not a field of the pod"
    ),
}


def _covered_by(key: str, table: Mapping[str, Any]) -> bool:
    return any(key == known or key.startswith(f"{known}.") for known in table)


def unmapped_keys(values: Mapping[str, Any]) -> list[str]:
    """The values' leaf keys this module neither maps nor knows to act outside the hub config."""
    return [
        key
        for key in leaf_keys(values)
        if not _covered_by(key, MAPPED) and not _covered_by(key, OUTSIDE_THE_HUB_CONFIG)
    ]


def load_values(values_file: Path) -> dict[str, Any]:
    values = yaml.safe_load(values_file.read_text()) or {}
    if not isinstance(values, dict):
        raise RenderError(f"{values_file} is not a YAML mapping of chart values.")
    return values


def hub_config(
    values_file: Path,
    secrets: Mapping[str, str],
    *,
    release: str = "vce",
    namespace: str = "vce",
) -> Config:
    """The traitlets Config a chart 4.4.0 hub would run with for ``values_file``.

    ``secrets``: the keys of the chart's hub Secret the hub reads
    (``hub.config.CryptKeeper.keys``, ``hub.config.JupyterHub.cookie_secret``).
    """
    deployment = load_values(values_file)
    unknown = unmapped_keys(deployment)
    if unknown:
        raise RenderError(
            f"{values_file}: no mapping for {', '.join(unknown)}. Add each to MAPPED (with the "
            "chart source it follows) or to OUTSIDE_THE_HUB_CONFIG in deploy/tests/z2jh_render.py."
        )
    v = helm_merge(CHART_DEFAULTS, deployment)
    c = Config()
    # The chart's order: its own settings, the Secret, hub.config, then hub.extraConfig last.
    _spawner_basics(c, v, release, namespace)
    for mapping in (_image, _default_url, _environment, _security, _resources, _storage):
        mapping(c, v)
    _cloud_metadata(c, v)
    _scheduling(c, v, release)
    _culling(c, v)
    _debug(c, v)
    _secrets(c, secrets)
    _pass_through(c, v)
    _extra_config(c, v)
    return c


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
