"""The VCE login page: where its template lives and how it reaches JupyterHub's loader.

``templates/login.html`` extends JupyterHub's own ``templates/login.html`` and overrides its
blocks (title, ``login_container``, ``username_input``, ``password_input``; the same names in
JupyterHub 5.5 and 6.x), so the form, its ``_xsrf`` field and the ``username`` /
``password`` names stay JupyterHub's.

A configuration may list the directory itself (``c.JupyterHub.template_paths =
[TEMPLATES_DIR]``). When it does not, :func:`install_template_dir` adds it: JupyterHub builds
its Jinja environment (``init_tornado_settings``) before it asks the authenticator for its
handlers (``init_handlers``), so the directory goes into that environment's file loader,
after the configured template paths (an administrator's own ``login.html`` still wins) and
before JupyterHub's defaults.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader

TEMPLATES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

SET_TEMPLATE_PATHS = (
    "The VCE login page could not be added to JupyterHub's templates: set "
    "c.JupyterHub.template_paths = [jupyterlab_vce.hub.TEMPLATES_DIR] in the hub's configuration."
)


def _file_loaders(loader: Any) -> list[FileSystemLoader]:
    if isinstance(loader, FileSystemLoader):
        return [loader]
    if isinstance(loader, ChoiceLoader):
        return [found for child in loader.loaders for found in _file_loaders(child)]
    return []


def install_template_dir(app: Any, log: logging.Logger) -> bool:
    """Make ``TEMPLATES_DIR`` a template path of a JupyterHub ``app`` whose settings are built.

    Returns True when it added the directory, False when the configuration already lists it.
    Logs a warning saying what to configure when the loader is not the one it knows.
    """
    if TEMPLATES_DIR in list(app.template_paths):
        return False
    defaults = os.path.join(app.data_files_path, "templates")
    environments = [app.tornado_settings.get(name) for name in ("jinja2_env", "jinja2_env_sync")]
    loaders = {id(env.loader): env.loader for env in environments if env is not None}
    targets = [
        file_loader
        for loader in loaders.values()
        for file_loader in _file_loaders(loader)
        if defaults in file_loader.searchpath and TEMPLATES_DIR not in file_loader.searchpath
    ]
    if not targets:
        log.warning(SET_TEMPLATE_PATHS)
        return False
    for file_loader in targets:
        file_loader.searchpath.insert(file_loader.searchpath.index(defaults), TEMPLATES_DIR)
    paths = list(app.template_paths)
    paths.insert(paths.index(defaults) if defaults in paths else len(paths), TEMPLATES_DIR)
    app.template_paths = paths
    log.info("The VCE login page is served from %s", TEMPLATES_DIR)
    return True
