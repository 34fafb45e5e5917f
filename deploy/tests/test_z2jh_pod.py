"""The researcher's pod that Zero to JupyterHub 4.4.0 starts from deploy/z2jh/values.yaml.

No cluster: the hub configuration the chart would derive from the values is built by our own
mapping of the chart's keys to traits (z2jh_render.py), the authenticator is built from it
and gives the spawner the researcher's environment from their auth state (``pre_spawn_start``),
and KubeSpawner 7.1.0 renders the pod it would create, as KubeSpawner's own tests do
(``KubeSpawner(_mock=True, …)``, ``get_pod_manifest()``).
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from hub_fakes import CLIENT_KEY, CLIENT_SECRET, ROOT, Researcher, authenticator_class
from jupyterhub.crypto import CryptKeeper
from jupyterhub.objects import Hub
from kubernetes_asyncio.config import kube_config
from kubespawner import KubeSpawner
from z2jh_render import (
    MAPPED,
    OUTSIDE_THE_HUB_CONFIG,
    RenderError,
    hub_config,
    leaf_keys,
    load_values,
    offline_kubeconfig,
    unmapped_keys,
)

from jupyterlab_vce.hub.spawn_env import auth_state_for

VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"
CRYPT_KEY = "3" * 64
SECRETS = {
    "hub.config.CryptKeeper.keys": CRYPT_KEY,
    "hub.config.JupyterHub.cookie_secret": "c" * 64,
}


@pytest.fixture
def config() -> Any:
    return hub_config(VALUES, SECRETS)


@pytest.fixture
def rendered(config: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The hub's authenticator and the pod KubeSpawner makes for the researcher."""
    # kubernetes_asyncio reads $KUBECONFIG when it is imported: its default location is set.
    monkeypatch.setattr(
        kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(offline_kubeconfig(tmp_path))
    )
    # The hub's CryptKeeper takes the hub's configuration (jupyterhub/crypto.py): the chart's key.
    CryptKeeper.clear_instance()
    CryptKeeper.instance(config=config)
    authenticator = authenticator_class()(config=config)

    async def render() -> dict[str, Any]:
        name = authenticator.normalize_username(CLIENT_KEY)
        user = Researcher(name, auth_state_for(CLIENT_KEY, CLIENT_SECRET))
        spawner = KubeSpawner(config=config, user=user, hub=Hub(), _mock=True)
        await authenticator.pre_spawn_start(user, spawner)
        manifest = await spawner.get_pod_manifest()
        # The pod as KubeSpawner would send it: the API client's own serialization.
        client = spawner.api.api_client
        pod = client.sanitize_for_serialization(manifest)
        await client.close()
        return {"user": user, "spawner": spawner, "pod": pod}

    try:
        # The hub would start with this configuration: auth state encrypted with the chart's key.
        authenticator.check_allow_config()
        result = asyncio.run(render())
    finally:
        CryptKeeper.clear_instance()
    return {**result, "authenticator": authenticator}


def notebook(pod: dict[str, Any]) -> dict[str, Any]:
    (container,) = [c for c in pod["spec"]["containers"] if c["name"] == "notebook"]
    return container


def env_of(container: dict[str, Any]) -> dict[str, Any]:
    return {entry["name"]: entry.get("value", entry.get("valueFrom")) for entry in container["env"]}


def test_every_key_of_the_values_is_mapped_or_known_to_act_outside_the_pod() -> None:
    values = load_values(VALUES)
    assert unmapped_keys(values) == []
    keys = leaf_keys(values)
    # Each mapping is used by the values file (no stale entry), and the keys that act outside
    # the hub's configuration each have a reason.
    for known in MAPPED:
        assert any(k == known or k.startswith(f"{known}.") for k in keys), known
    # hub.config is passed through whole, as the chart does.
    assert "hub.config.VCEAuthenticator.lab_platform_url" in keys
    assert all(reason.strip() for reason in OUTSIDE_THE_HUB_CONFIG.values())


def test_a_key_without_a_mapping_is_refused(tmp_path: Path) -> None:
    values = load_values(VALUES)
    values["singleuser"]["nodeSelector"] = {"disk": "ssd"}
    values["singleuser"]["netwrkPolicy"] = {"enabled": True}
    assert unmapped_keys(values) == [
        "singleuser.nodeSelector.disk",
        "singleuser.netwrkPolicy.enabled",
    ]
    changed = tmp_path / "values.yaml"
    changed.write_text(yaml.safe_dump(values))
    with pytest.raises(
        RenderError, match=r"no mapping for .*singleuser\.nodeSelector\.disk"
    ) as raised:
        hub_config(changed, SECRETS)
    assert "singleuser.netwrkPolicy.enabled" in str(raised.value)


def test_a_hub_config_section_must_be_a_class_name(tmp_path: Path) -> None:
    values = load_values(VALUES)
    values["hub"]["config"]["loadRoles"] = {"reviewer": {}}
    changed = tmp_path / "values.yaml"
    changed.write_text(yaml.safe_dump(values))
    with pytest.raises(RenderError, match="hub.config.loadRoles: a hub.config section is a class"):
        hub_config(changed, SECRETS)


def test_the_hub_runs_the_vce_authenticator_with_encrypted_auth_state(config: Any) -> None:
    assert config.JupyterHub.authenticator_class == "vce"
    assert config.Authenticator.enable_auth_state is True
    assert config.Authenticator.allow_all is True
    # The crypt key is the chart Secret's, not a value in the file.
    assert config.CryptKeeper["keys"] == [CRYPT_KEY]
    assert CRYPT_KEY not in VALUES.read_text()
    # The login page's templates, from the package the hub image holds.
    from jupyterlab_vce.hub import TEMPLATES_DIR

    assert config.JupyterHub.template_paths == [TEMPLATES_DIR]
    assert (Path(TEMPLATES_DIR) / "login.html").is_file()
    assert config.JupyterHub.admin_access is False
    assert config.JupyterHub.spawner_class == "kubespawner.KubeSpawner"


def test_idle_labs_are_culled(config: Any) -> None:
    (culler,) = [s for s in config.JupyterHub.services if s["name"] == "jupyterhub-idle-culler"]
    assert culler["command"][4:] == [
        "--timeout=3600",
        "--cull-every=600",
        "--concurrency=10",
        "--max-age=86400",
    ]


def test_the_pod_runs_the_lab_image(rendered: dict[str, Any]) -> None:
    pod = rendered["pod"]
    assert pod["kind"] == "Pod"
    assert notebook(pod)["image"] == "registry.example.org/vce/vce-lab:0.1.0"
    # Named after the researcher's hub name, as a DNS label (the hub name holds a "~").
    assert pod["metadata"]["name"] == rendered["spawner"].pod_name
    assert re.fullmatch(r"jupyter-awz3kq9test4project-[0-9a-z-]+", pod["metadata"]["name"])
    assert len(pod["metadata"]["name"]) <= 63
    assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == "jupyterhub"
    # jupyterhub-singleuser, opening JupyterLab.
    assert notebook(pod)["args"][0] == "jupyterhub-singleuser"
    assert env_of(notebook(pod))["JUPYTERHUB_DEFAULT_URL"] == "/lab"


def test_the_pod_is_placed_and_labelled_as_the_charts_pods_are(rendered: dict[str, Any]) -> None:
    pod = rendered["pod"]
    labels = pod["metadata"]["labels"]
    # The labels the chart's NetworkPolicies select: the release, the user-pod component, and
    # the one the hub's policy admits (z2jh_render.CHART_DEFAULTS, singleuser.extraLabels).
    assert labels["app.kubernetes.io/instance"] == labels["release"] == "vce"
    assert labels["component"] == "singleuser-server"
    assert labels["hub.jupyter.org/network-access-hub"] == "true"
    # The chart's user scheduler, its user-node tolerations and preference.
    assert pod["spec"]["schedulerName"] == "vce-user-scheduler"
    assert {t["key"] for t in pod["spec"]["tolerations"]} == {
        "hub.jupyter.org/dedicated",
        "hub.jupyter.org_dedicated",
    }
    (preferred,) = pod["spec"]["affinity"]["nodeAffinity"][
        "preferredDuringSchedulingIgnoredDuringExecution"
    ]
    assert preferred["preference"]["matchExpressions"][0]["key"] == "hub.jupyter.org/node-purpose"


def test_the_lab_gets_the_platform_and_the_researchers_pair(rendered: dict[str, Any]) -> None:
    env = env_of(notebook(rendered["pod"]))
    platform = "http://vce-platform.vce-platform.svc.cluster.local:8911"
    assert env["RQS_API_URL"] == platform
    assert env["RQS_PIP_INDEX_URL"] == f"{platform}/simple/"
    # The exact key (its case kept), not the hub's lowercased user name.
    assert env["RQS_CLIENT_KEY"] == CLIENT_KEY
    assert rendered["user"].name != CLIENT_KEY
    assert env["RQS_CLIENT_SECRET"] == CLIENT_SECRET


def test_the_secret_is_only_in_the_notebooks_environment(rendered: dict[str, Any]) -> None:
    pod = rendered["pod"]
    text = json.dumps(pod)
    assert text.count(CLIENT_SECRET) == 1
    container = notebook(pod)
    others = {**pod, "spec": {**pod["spec"], "containers": []}}
    assert CLIENT_SECRET not in json.dumps(others)  # labels, annotations, init containers, volumes
    assert CLIENT_SECRET not in json.dumps({k: v for k, v in container.items() if k != "env"})
    assert [e["name"] for e in container["env"] if CLIENT_SECRET in json.dumps(e)] == [
        "RQS_CLIENT_SECRET"
    ]


def test_resources_are_limited_and_guaranteed(rendered: dict[str, Any]) -> None:
    resources = notebook(rendered["pod"])["resources"]
    assert resources == {
        "limits": {"cpu": 2.0, "memory": 4 * 1024**3},
        "requests": {"cpu": 0.5, "memory": 1 * 1024**3},
    }
    env = env_of(notebook(rendered["pod"]))
    assert env["MEM_LIMIT"] == str(4 * 1024**3)
    assert env["CPU_LIMIT"] == "2.0"


def test_the_lab_runs_as_jovyan_without_privileges(rendered: dict[str, Any]) -> None:
    pod = rendered["pod"]
    assert pod["spec"]["securityContext"] == {"fsGroup": 100}
    assert notebook(pod)["securityContext"] == {
        "runAsUser": 1000,
        "allowPrivilegeEscalation": False,
    }
    # No service account token in the lab (nothing in it talks to Kubernetes).
    assert pod["spec"]["automountServiceAccountToken"] is False
    # The one root container is the chart's metadata blocker, which only runs iptables.
    (blocker,) = pod["spec"]["initContainers"]
    assert blocker["name"] == "block-cloud-metadata"
    assert blocker["command"][:2] == ["iptables", "--append"]
    assert "169.254.169.254" in blocker["command"]
    assert "env" not in blocker


def test_the_home_is_a_volume_of_its_own(rendered: dict[str, Any]) -> None:
    pod = rendered["pod"]
    claim = rendered["spawner"].pvc_name
    assert claim.startswith("claim-awz3kq9test4project-")
    (volume,) = pod["spec"]["volumes"]
    assert volume["persistentVolumeClaim"] == {"claimName": claim}
    assert notebook(pod)["volumeMounts"] == [{"mountPath": "/home/jovyan", "name": volume["name"]}]
    # The claim KubeSpawner makes for it: 10Gi, one node at a time.
    assert rendered["spawner"].storage_capacity == "10Gi"
    assert rendered["spawner"].storage_pvc_ensure is True
    assert rendered["spawner"].storage_access_modes == ["ReadWriteOnce"]


def test_the_labs_network_reaches_the_platform_only() -> None:
    values = yaml.safe_load(VALUES.read_text())
    policy = values["singleuser"]["networkPolicy"]
    assert policy["enabled"] is True
    # Everything the chart can open is closed but DNS to the cluster's resolver.
    assert policy["egressAllowRules"] == {
        "dnsPortsKubeSystemNamespace": True,
        "dnsPortsCloudMetadataServer": False,
        "dnsPortsPrivateIPs": False,
        "cloudMetadataServer": False,
        "nonPrivateIPs": False,
        "privateIPs": False,
    }
    # The one extra rule is the platform the lab is given: its namespace and its port.
    lab_url = urlsplit(values["hub"]["config"]["VCEAuthenticator"]["lab_platform_url"])
    service, namespace = lab_url.hostname.split(".")[:2]
    (rule,) = policy["egress"]
    (peer,) = rule["to"]
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": namespace}
    assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": service}
    assert rule["ports"] == [{"protocol": "TCP", "port": lab_url.port}]
