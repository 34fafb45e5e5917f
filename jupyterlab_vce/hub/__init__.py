"""jupyterlab-vce for JupyterHub: the VCE login page and authenticator (``pip install jupyterlab-vce[hub]``).

Importing this package needs JupyterHub only (not jupyter_server or JupyterLab): the hub's
image holds JupyterHub and this package's ``[hub]`` extra.
"""

from .authenticator import VCEAuthenticator
from .page import TEMPLATES_DIR

__all__ = ["TEMPLATES_DIR", "VCEAuthenticator"]
