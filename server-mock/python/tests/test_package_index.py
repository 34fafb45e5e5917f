"""The platform's package index (/simple/ of vce-mock) against pip itself.

The guide's step "install the query SDK" (`pip install -U --index-url …/simple/ pyrqs`,
docs/research/vce-getting-started.txt) against the stand-in: into a fresh virtual
environment, with no other index or pip configuration, so it works offline because
pyrqs needs nothing outside the standard library. Then the installed pyrqs (not this
checkout's) runs the guide's example verbatim. Needs `npm run build` in server-mock/
(dist/cli.js) and Python with hatchling (this venv) to build the wheel and sdist.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_mock_platform import KEY, SECRET, SERVER_MOCK, Mock, start_mock, stop_mock
from test_seed_kernel import seed_example

BUILD_SCRIPT = SERVER_MOCK / "scripts" / "build-pyrqs.mjs"


def pip_environment() -> dict[str, str]:
    """No index, configuration, virtual environment or SDK variable from outside."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PIP_", "PYTHON", "RQS_", "VIRTUAL_ENV"))
    }
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    return env


def pip_install(python: Path, index_url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "pip", "install", "-U", "--index-url", index_url]
        + ["--no-cache-dir", *extra, "pyrqs"],
        env=pip_environment(),
        cwd=python.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pyrqs' wheel and sdist, built as `npm run build` builds them."""
    out = tmp_path_factory.mktemp("packages")
    done = subprocess.run(
        ["node", str(BUILD_SCRIPT), str(out)],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
    )
    built = sorted(path.name for path in out.iterdir())
    assert len(built) == 2, f"build-pyrqs built {built}: {done.stdout}{done.stderr}"
    return out


@pytest.fixture(scope="module")
def index_mock(tmp_path_factory: pytest.TempPathFactory, packages: Path) -> Iterator[Mock]:
    running = start_mock(tmp_path_factory.mktemp("vce-mock-index"), "--packages-dir", str(packages))
    yield running
    stop_mock(running)


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment without pyrqs (nor anything but pip)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], env=pip_environment(), check=True, timeout=300
    )
    python = venv / "bin" / "python"
    absent = subprocess.run([str(python), "-I", "-c", "import pyrqs"], capture_output=True)
    assert absent.returncode != 0
    return python


def test_the_project_page_lists_the_files_with_their_real_hashes(
    index_mock: Mock, packages: Path
) -> None:
    status, root = http_get(f"{index_mock.url}/simple/")
    assert status == 200 and '<a href="pyrqs/">pyrqs</a>' in root
    status, page = http_get(f"{index_mock.url}/simple/pyrqs/")
    assert status == 200
    for file in packages.iterdir():
        assert f'href="{file.name}#sha256={sha256(file)}" data-requires-python="&gt;=3.10"' in page


def test_another_project_is_not_found(index_mock: Mock) -> None:
    assert http_get(f"{index_mock.url}/simple/other/")[0] == 404
    assert http_get(f"{index_mock.url}/simple/pyrqs/pyproject.toml")[0] == 404


def test_pip_installs_pyrqs_from_the_index_and_it_runs_the_guides_example(
    index_mock: Mock, fresh_python: Path, tmp_path: Path
) -> None:
    installed = pip_install(fresh_python, f"{index_mock.url}/simple/")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "Successfully installed pyrqs-0.1.0" in installed.stdout
    assert "WARNING: Retrying" not in installed.stderr

    env = {**pip_environment(), "RQS_API_URL": index_mock.url}
    env.update(RQS_CLIENT_KEY=KEY, RQS_CLIENT_SECRET=SECRET)
    where = subprocess.run(
        [str(fresh_python), "-I", "-c", "import pyrqs; print(pyrqs.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(fresh_python.parents[1])
    # The guide's example, verbatim, with the pyrqs pip installed.
    ran = subprocess.run(
        [str(fresh_python), "-I", "-c", seed_example()],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("QueryResult: 10 video records"), ran.stdout
    assert len(ran.stdout.strip().splitlines()) == 11


def test_pip_refuses_a_file_that_does_not_match_the_served_hash(
    tmp_path_factory: pytest.TempPathFactory, packages: Path, fresh_python: Path
) -> None:
    tampered = tmp_path_factory.mktemp("tampered")
    for file in packages.iterdir():
        shutil.copy(file, tampered / file.name)
    mock = start_mock(tmp_path_factory.mktemp("vce-mock-tampered"), "--packages-dir", str(tampered))
    try:
        # The index hashed the files at start; change them afterwards.
        for file in tampered.iterdir():
            with file.open("ab") as handle:
                handle.write(b"tampered")
        refused = pip_install(fresh_python, f"{mock.url}/simple/", "--force-reinstall")
    finally:
        stop_mock(mock)
    assert refused.returncode != 0
    assert "THESE PACKAGES DO NOT MATCH THE HASHES" in refused.stderr, refused.stderr
    assert "Got" in refused.stderr and "Expected sha256" in refused.stderr
