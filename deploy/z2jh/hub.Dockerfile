# syntax=docker/dockerfile:1
# The Zero to JupyterHub hub image with the VCE authenticator (hub.image in values.yaml).
#
# Build from the repository root, after `python -m build --wheel` (README: dist/):
#   docker build -f deploy/z2jh/hub.Dockerfile -t registry.example.org/vce/k8s-hub-vce:4.4.0-vce-0.1.0 .
#
# The chart's own hub image, pinned to the chart (4.4.0: JupyterHub 5.5.0, Python 3.12; its
# images/hub/requirements.txt holds jupyterhub, tornado, traitlets and jinja2, all the
# authenticator imports).
FROM quay.io/jupyterhub/k8s-hub:4.4.0

ARG VCE_VERSION=0.1.0
COPY dist/jupyterlab_vce-${VCE_VERSION}-py3-none-any.whl /tmp/

USER root
# Only the package, not its dependencies: the [hub] extra asks for jupyterhub>=5.5, which the
# image has; the wheel's base dependencies (jupyter_server, JupyterLab) are the lab's, and
# jupyterlab_vce.hub imports none of them. The checks fail the build if the authenticator
# cannot be imported or its entry point is missing.
RUN pip install --no-cache-dir --no-deps "/tmp/jupyterlab_vce-${VCE_VERSION}-py3-none-any.whl" \
 && rm "/tmp/jupyterlab_vce-${VCE_VERSION}-py3-none-any.whl" \
 && python -c "from jupyterlab_vce.hub import TEMPLATES_DIR, VCEAuthenticator; import os; assert os.path.isfile(os.path.join(TEMPLATES_DIR, 'login.html'))" \
 && python -c "from importlib.metadata import entry_points; assert entry_points(group='jupyterhub.authenticators', name='vce')"

# The chart's hub user (uid 1000), as the base image leaves it.
USER jovyan
