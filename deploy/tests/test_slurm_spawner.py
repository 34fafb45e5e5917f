"""The Slurm job a researcher's lab becomes under deploy/slurm/jupyterhub_config.py.

No cluster: the configuration is loaded with traitlets' config loader, the authenticator gives
the spawner the researcher's environment from their auth state (``pre_spawn_start``), and
batchspawner 1.3.0's own ``submit_batch_script`` runs with its ``run_command`` (the one call
that would reach ``sbatch``) recording the command, the script and the environment instead.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import pwd
import sys
from pathlib import Path
from typing import Any

import pytest
from hub_fakes import CLIENT_KEY, CLIENT_SECRET, ROOT, Researcher, authenticator_class
from jupyterhub.objects import Hub
from tornado import web
from traitlets.config import Config, PyFileConfigLoader

from jupyterlab_vce.hub.spawn_env import auth_state_for

SLURM = ROOT / "deploy" / "slurm"
# A cluster account every Linux machine has (the test's stand-in for the researcher's).
ACCOUNT = "nobody"


def load_config(accounts_file: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("VCE_ACCOUNTS_FILE", str(accounts_file))
    monkeypatch.setenv("VCE_PLATFORM_URL", "https://vce-platform.cluster.example.org")
    monkeypatch.setenv("VCE_LAB_PLATFORM_URL", "http://10.0.0.20:8911")
    monkeypatch.setattr(sys, "path", list(sys.path))  # the configuration adds its folder
    return PyFileConfigLoader("jupyterhub_config.py", path=str(SLURM)).load_config()


def spawner_class(config: Config) -> type:
    module, _, name = config.JupyterHub.spawner_class.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    authenticator_cls = authenticator_class()
    hub_name = authenticator_cls().normalize_username(CLIENT_KEY)
    accounts = tmp_path / "vce-accounts.json"
    accounts.write_text(json.dumps({hub_name: ACCOUNT}))
    config = load_config(accounts, monkeypatch)
    authenticator = authenticator_cls(config=config)
    user = Researcher(hub_name, auth_state_for(CLIENT_KEY, CLIENT_SECRET))
    return {"config": config, "authenticator": authenticator, "user": user}


def submit(setup: dict[str, Any], user: Researcher | None = None) -> dict[str, Any]:
    """Spawn as the hub does up to sbatch: pre_spawn_start, then batchspawner's submission."""
    user = user or setup["user"]
    spawner = spawner_class(setup["config"])(config=setup["config"], user=user, hub=Hub())
    calls: list[dict[str, Any]] = []

    async def run_command(cmd: str, input: str | None = None, env: Any = None) -> str:
        calls.append({"cmd": cmd, "script": input, "env": dict(env or {})})
        return "4242"  # sbatch --parsable prints the job id

    spawner.run_command = run_command

    async def spawn() -> str:
        await setup["authenticator"].pre_spawn_start(user, spawner)
        return await spawner.submit_batch_script()

    job_id = asyncio.run(spawn())
    (call,) = calls
    return {**call, "job_id": job_id, "spawner": spawner}


def directives(script: str) -> dict[str, str]:
    options = [
        line[len("#SBATCH ") :] for line in script.splitlines() if line.startswith("#SBATCH ")
    ]
    return dict(option.split("=", 1) for option in options)


def test_the_hub_signs_in_with_the_vce_authenticator(setup: dict[str, Any]) -> None:
    config = setup["config"]
    from jupyterlab_vce.hub import TEMPLATES_DIR

    assert config.JupyterHub.authenticator_class == "vce"
    assert config.Authenticator.enable_auth_state is True
    assert config.Authenticator.allow_all is True
    assert config.JupyterHub.template_paths == [TEMPLATES_DIR]
    assert config.JupyterHub.admin_access is False
    assert config.JupyterHub.log_level == "INFO"
    assert setup["authenticator"].lab_platform_url == "http://10.0.0.20:8911"


def test_the_lab_is_a_slurm_job_with_its_resources(setup: dict[str, Any]) -> None:
    submission = submit(setup)
    assert submission["job_id"] == "4242"
    # Submitted as the researcher's cluster account, the environment kept for sbatch.
    assert submission["cmd"] == f"sudo -E -u {ACCOUNT} sbatch --parsable"
    options = directives(submission["script"])
    assert options["--partition"] == "interactive"
    assert options["--mem"] == "4G"
    assert options["--cpus-per-task"] == "2"
    assert options["--time"] == "8:00:00"
    home = pwd.getpwnam(ACCOUNT).pw_dir
    assert options["--chdir"] == home
    assert options["--output"] == f"{home}/jupyterhub_slurmspawner_%j.log"
    # The lab's environment, then jupyterhub-singleuser wrapped by batchspawner-singleuser.
    lines = submission["script"].splitlines()
    assert "source /opt/vce/lab/bin/activate" in lines
    (start,) = [line for line in lines if line.startswith("srun ")]
    assert start == "srun batchspawner-singleuser jupyterhub-singleuser"
    assert lines.index("source /opt/vce/lab/bin/activate") < lines.index(start)


def test_the_lab_gets_the_platform_and_the_pair_through_sbatchs_environment(
    setup: dict[str, Any],
) -> None:
    submission = submit(setup)
    exported = directives(submission["script"])["--export"].split(",")
    env = submission["env"]
    # The script names the variables (sbatch --export) ...
    for name in ("RQS_API_URL", "RQS_CLIENT_KEY", "RQS_CLIENT_SECRET", "RQS_PIP_INDEX_URL"):
        assert name in exported
    # ... and sbatch takes their values from its own environment, the spawner's.
    assert env["RQS_API_URL"] == "http://10.0.0.20:8911"
    assert env["RQS_PIP_INDEX_URL"] == "http://10.0.0.20:8911/simple/"
    assert env["RQS_CLIENT_KEY"] == CLIENT_KEY
    assert env["RQS_CLIENT_SECRET"] == CLIENT_SECRET
    assert env["USER"] == ACCOUNT
    assert set(exported) == set(env)
    # The script Slurm keeps (scontrol write batch_script) holds no secret, and no key.
    assert CLIENT_SECRET not in submission["script"]
    assert CLIENT_KEY not in submission["script"]
    assert CLIENT_SECRET not in submission["cmd"]


def test_the_submission_log_names_the_variables_without_their_values(
    setup: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        submission = submit(setup)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Spawner submitting environment: " in logged
    assert "RQS_CLIENT_SECRET" in logged
    assert CLIENT_SECRET not in logged
    assert submission["env"]["RQS_CLIENT_SECRET"] == CLIENT_SECRET


def test_a_researcher_without_a_cluster_account_is_told_why(setup: dict[str, Any]) -> None:
    stranger = Researcher("someoneelse", auth_state_for("SomeoneElse", "another-secret"))
    with pytest.raises(web.HTTPError) as refused:
        submit(setup, stranger)
    assert refused.value.status_code == 403
    assert "No cluster account is set for the researcher 'someoneelse'" in refused.value.log_message
    assert "VCESlurmSpawner.accounts" in refused.value.log_message


def test_account_names_are_checked() -> None:
    sys.path.insert(0, str(SLURM))
    try:
        from vce_slurm import AccountProblem, cluster_account
    finally:
        sys.path.remove(str(SLURM))
    assert cluster_account("a~1", {"a~1": "alice"}) == "alice"
    for bad in ("root", "alice; rm -rf /", "-oops", ""):
        with pytest.raises(AccountProblem, match="is not a user account name"):
            cluster_account("a~1", {"a~1": bad})
