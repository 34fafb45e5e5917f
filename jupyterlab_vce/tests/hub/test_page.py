"""The login page's template: it extends the installed JupyterHub's and reaches its loader."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from types import SimpleNamespace

import jupyterhub
import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, PrefixLoader, nodes

from jupyterlab_vce.hub import TEMPLATES_DIR, VCEAuthenticator
from jupyterlab_vce.hub.page import SET_TEMPLATE_PATHS, install_template_dir

OUR_LOGIN = Path(TEMPLATES_DIR, "login.html")


def hub_data_files() -> str:
    from jupyterhub._data import DATA_FILES_PATH

    return DATA_FILES_PATH


def blocks(source: str) -> set[str]:
    return {block.name for block in Environment().parse(source).find_all(nodes.Block)}


def test_the_template_overrides_blocks_the_installed_hub_has() -> None:
    hub_login = Path(hub_data_files(), "templates", "login.html").read_text()
    ours = blocks(OUR_LOGIN.read_text())
    assert {"username_input", "password_input", "login_container"} <= ours
    # "title" and "stylesheet" are page.html's, which login.html extends.
    hub_page = Path(hub_data_files(), "templates", "page.html").read_text()
    assert ours <= blocks(hub_login) | blocks(hub_page), jupyterhub.__version__


def test_the_template_keeps_the_hubs_form_names() -> None:
    source = OUR_LOGIN.read_text()
    assert source.startswith("{#-") and '{% extends "templates/login.html" %}' in source
    assert 'name="username"' in source and 'name="password"' in source
    assert 'type="password"' in source
    assert 'name="_xsrf"' not in source  # JupyterHub's own form holds it (super())


def hub_like_app(template_paths: list[str] | None = None) -> SimpleNamespace:
    """What install_template_dir uses of a JupyterHub app, built as init_tornado_settings does."""
    data_files = hub_data_files()
    base = os.path.join(data_files, "templates")
    paths = list(template_paths or []) + [base]
    loader = ChoiceLoader(
        [PrefixLoader({"templates": FileSystemLoader([base])}, "/"), FileSystemLoader(paths)]
    )
    settings = {
        "jinja2_env": Environment(loader=loader, enable_async=True),
        "jinja2_env_sync": Environment(loader=loader),
    }
    return SimpleNamespace(
        template_paths=paths, data_files_path=data_files, tornado_settings=settings
    )


def loaded_from(app: SimpleNamespace, name: str) -> str:
    return app.tornado_settings["jinja2_env_sync"].get_template(name).filename


def test_the_directory_is_added_when_the_config_did_not(caplog: pytest.LogCaptureFixture) -> None:
    app = hub_like_app()
    assert install_template_dir(app, logging.getLogger("test")) is True
    assert loaded_from(app, "login.html") == str(OUR_LOGIN)
    # JupyterHub's own page stays reachable for the extends, and its other pages are its own.
    assert loaded_from(app, "templates/login.html") != str(OUR_LOGIN)
    assert Path(loaded_from(app, "home.html")).parent == Path(hub_data_files(), "templates")
    assert app.template_paths[0] == TEMPLATES_DIR


def test_an_admins_own_login_page_still_wins(tmp_path: Path) -> None:
    (tmp_path / "login.html").write_text("{% extends 'templates/login.html' %}")
    app = hub_like_app([str(tmp_path)])
    install_template_dir(app, logging.getLogger("test"))
    assert loaded_from(app, "login.html") == str(tmp_path / "login.html")
    assert app.template_paths == [str(tmp_path), TEMPLATES_DIR, app.template_paths[-1]]


def test_nothing_changes_when_the_config_lists_it() -> None:
    app = hub_like_app([TEMPLATES_DIR])
    before = list(app.template_paths)
    assert install_template_dir(app, logging.getLogger("test")) is False
    assert app.template_paths == before


def test_an_unknown_loader_gets_a_warning_saying_what_to_set(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = hub_like_app()
    app.tornado_settings = {"jinja2_env": Environment(loader=DictLoader({}))}
    assert install_template_dir(app, logging.getLogger("test")) is False
    assert SET_TEMPLATE_PATHS in caplog.text
    assert "template_paths = [jupyterlab_vce.hub.TEMPLATES_DIR]" in SET_TEMPLATE_PATHS


def test_the_authenticator_installs_it_with_its_handlers() -> None:
    app = hub_like_app()
    handlers = VCEAuthenticator(platform_url="http://127.0.0.1:1").get_handlers(app)
    assert [path for path, _ in handlers] == ["/login"]
    assert loaded_from(app, "login.html") == str(OUR_LOGIN)


def test_it_can_be_turned_off() -> None:
    app = hub_like_app()
    VCEAuthenticator(platform_url="http://127.0.0.1:1", install_template=False).get_handlers(app)
    assert loaded_from(app, "login.html") != str(OUR_LOGIN)
    assert VCEAuthenticator.template_dir == TEMPLATES_DIR
