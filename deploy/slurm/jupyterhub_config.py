# The Virtual Compute Environment on a Slurm cluster: JupyterHub on a login (or service) node
# signs researchers in with their client key and secret (jupyterlab_vce.hub.VCEAuthenticator),
# and each researcher's JupyterLab runs as a Slurm job on a compute node (batchspawner 1.3.0).
#
#   jupyterhub -f deploy/slurm/jupyterhub_config.py
#
# The hub's machine needs: JupyterHub (5.5 or 6.x), batchspawner 1.3.0, this project's wheel
# (pip install "jupyterlab_vce[hub]"), configurable-http-proxy, and the Slurm client commands
# (sbatch, squeue, scancel). The compute nodes need the lab's environment at LAB_VENV below:
# this project's wheel, pyrqs from the platform's index and batchspawner (for
# batchspawner-singleuser). deploy/tests/test_slurm_spawner.py renders the batch script this
# configuration submits. Facts and sources: docs/research/hub-scaleout.md.
import json
import os
import sys

from jupyterlab_vce.hub import TEMPLATES_DIR

c = get_config()  # noqa: F821 - provided by JupyterHub's config loader

# VCESlurmSpawner lives beside this file (deploy/slurm/vce_slurm.py).
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

# --- Site settings: edit these, or set the environment variables -------------------------
# The platform as the hub reaches it (token checks) and as the compute nodes reach it (the
# labs' RQS_API_URL); they differ when the nodes see the platform at another address.
PLATFORM_URL = os.environ.get("VCE_PLATFORM_URL", "https://vce-platform.cluster.example.org")
LAB_PLATFORM_URL = os.environ.get("VCE_LAB_PLATFORM_URL", PLATFORM_URL)
# The address the labs on the compute nodes reach the hub's API at (this node's cluster IP).
HUB_CONNECT_IP = os.environ.get("VCE_HUB_CONNECT_IP", "10.0.0.10")
# The labs' Python environment on the shared file system (the wheel, pyrqs, batchspawner).
LAB_VENV = os.environ.get("VCE_LAB_VENV", "/opt/vce/lab")
# Hub user (the researcher's client key, as the hub keeps it) → cluster account, as JSON.
ACCOUNTS_FILE = os.environ.get("VCE_ACCOUNTS_FILE", "/etc/jupyterhub/vce-accounts.json")

# --- The hub ---------------------------------------------------------------------------------
# The public address researchers open (put TLS in front, or set ssl_cert / ssl_key).
c.JupyterHub.bind_url = "http://:8000"
# The hub's API listens on every interface: labs on compute nodes call it (activity, auth)...
c.JupyterHub.hub_bind_url = "http://0.0.0.0:8081"
# ...and are told to reach it here.
c.JupyterHub.hub_connect_ip = HUB_CONNECT_IP
# Info level: at debug level batchspawner logs each submission's environment (the
# VCESlurmSpawner logs its names only, but a hub for researchers has no need for debug logs).
c.JupyterHub.log_level = "INFO"
# Admins may not open researchers' labs: a lab's environment holds its researcher's secret.
c.JupyterHub.admin_access = False

# --- Sign-in: the VCE login page and authenticator (the same as every deployment) ------------
c.JupyterHub.authenticator_class = "vce"
# JupyterHub 5+ lets nobody in unless told who may: the platform is the allow list.
c.Authenticator.allow_all = True
# The client secret is kept only in encrypted auth state: JUPYTERHUB_CRYPT_KEY (32 bytes hex,
# `openssl rand -hex 32`) must be in the hub's environment, e.g. a root-only EnvironmentFile
# of its systemd unit. The authenticator refuses to start without it.
c.Authenticator.enable_auth_state = True
c.VCEAuthenticator.platform_url = PLATFORM_URL
c.VCEAuthenticator.lab_platform_url = LAB_PLATFORM_URL
# The login page titled "Virtual Compute Environment", with Client key / Client secret.
c.JupyterHub.template_paths = [TEMPLATES_DIR]

# --- The labs: one Slurm job per researcher --------------------------------------------------
c.JupyterHub.spawner_class = "vce_slurm.VCESlurmSpawner"
# Each researcher's cluster account (never one shared account: see vce_slurm.py).
if os.path.exists(ACCOUNTS_FILE):
    with open(ACCOUNTS_FILE) as accounts:
        c.VCESlurmSpawner.accounts = json.load(accounts)
# The hub submits as the researcher's account: sudo keeps the environment (-E) so sbatch can
# export the lab's variables; sudoers for the hub's user needs SETENV, e.g.
#   jupyterhub ALL=(%vce-researchers) NOPASSWD:SETENV: /usr/bin/sbatch, /usr/bin/squeue, /usr/bin/scancel
c.VCESlurmSpawner.exec_prefix = "sudo -E -u {username}"
# Where and how big a lab is: --partition, --mem, --cpus-per-task, --time.
c.VCESlurmSpawner.req_partition = "interactive"
c.VCESlurmSpawner.req_memory = "4G"
c.VCESlurmSpawner.req_nprocs = "2"
# A lab runs for at most a working day; the researcher starts a new one from the hub.
c.VCESlurmSpawner.req_runtime = "8:00:00"
# The lab's environment, before the server starts (batchspawner's prologue).
c.VCESlurmSpawner.req_prologue = f"source {LAB_VENV}/bin/activate"
# batchspawner-singleuser wraps jupyterhub-singleuser: it picks a free port on the node and
# tells the hub (the default batchspawner_singleuser_cmd, stated).
c.VCESlurmSpawner.batchspawner_singleuser_cmd = "batchspawner-singleuser"
c.Spawner.cmd = ["jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
# A lab waits in the queue: up to 5 minutes to start, 2 for its server to answer.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 120
# The environment reaching the lab: sbatch --export names every variable the spawner sets
# (batchspawner's keepvars: the names of get_env()), so RQS_API_URL, RQS_CLIENT_KEY,
# RQS_CLIENT_SECRET and RQS_PIP_INDEX_URL, which the authenticator adds at each spawn,
# reach the lab; their values come from sbatch's own environment, not the script. Do not
# set req_keepvars: a fixed list would drop them.
