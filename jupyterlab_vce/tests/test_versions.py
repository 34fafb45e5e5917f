"""One version for all parts: the extension (package.json, which the Python package takes
its version from), the stand-in's npm package (server-mock/package.json) and the SDK
stand-in (server-mock/python: pyproject.toml and ``pyrqs.__version__``)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def part_versions() -> dict[str, str]:
    sdk_init = (ROOT / "server-mock/python/pyrqs/__init__.py").read_text(encoding="utf-8")
    sdk_version = re.search(r'^__version__ = "([^"]+)"$', sdk_init, re.MULTILINE)
    return {
        "package.json": json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["version"],
        "server-mock/package.json": json.loads(
            (ROOT / "server-mock/package.json").read_text(encoding="utf-8")
        )["version"],
        "server-mock/python/pyproject.toml": tomllib.loads(
            (ROOT / "server-mock/python/pyproject.toml").read_text(encoding="utf-8")
        )["project"]["version"],
        "pyrqs.__version__": sdk_version.group(1) if sdk_version else "(missing)",
    }


def test_every_part_carries_the_extensions_version() -> None:
    versions = part_versions()
    assert len(set(versions.values())) == 1, f"the parts' versions differ: {versions}"


def test_the_python_package_takes_package_json_version() -> None:
    from jupyterlab_vce import __version__

    # hatch-nodejs-version writes _version.py from package.json at install time; an
    # editable install made before a version bump keeps the old one until reinstalled.
    assert __version__ == part_versions()["package.json"]
