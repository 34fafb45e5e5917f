"""The platform guide's example code, verbatim, in a real ipykernel against vce-mock.

The guide: docs/research/vce-getting-started.txt.
"""

from __future__ import annotations

import ast
import os
import queue
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from test_mock_platform import KEY, SECRET, Mock, start_mock, stop_mock

# The platform's guide, as copied into the repository (docs/research/README.md).
SEED = Path(__file__).resolve().parents[3] / "docs" / "research" / "vce-getting-started.txt"
SEED_FIELDS = {"display_name", "video_description", "create_time", "id"}


def seed_example() -> str:
    """The lines of the guide's 'Example code', from `from pyrqs import rqs` to `print(data)`, unchanged."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("from pyrqs import rqs")
    end = lines.index("print(data)", start)
    return "\n".join(lines[start : end + 1]) + "\n"


def run_cell(kernel, code: str, timeout: float = 60) -> tuple[str, list[dict], dict]:
    """Execute code; (stdout text, execute_result/display_data bundles, the execute_reply content)."""
    msg_id = kernel.execute(code)
    stdout, bundles = [], []
    while True:
        try:
            msg = kernel.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the kernel gave no output within {timeout} s") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            stdout.append(content["text"])
        elif kind in ("execute_result", "display_data"):
            bundles.append(content["data"])
        elif kind == "error":
            raise AssertionError("the cell raised:\n" + "\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            break
    reply = kernel.get_shell_msg(timeout=timeout)
    return "".join(stdout), bundles, reply["content"]


@pytest.fixture(scope="module")
def seed_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mock]:
    running = start_mock(tmp_path_factory.mktemp("vce-mock-seed"))
    yield running
    stop_mock(running)


@pytest.fixture(scope="module")
def kernel(seed_mock: Mock) -> Iterator:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RQS_")}
    env.update(RQS_API_URL=seed_mock.url, RQS_CLIENT_KEY=KEY, RQS_CLIENT_SECRET=SECRET)
    manager = KernelManager(kernel_name="python3")
    # this interpreter (the venv that has pyrqs installed), not whatever python3 is on PATH
    manager.kernel_spec.argv[0] = sys.executable
    manager.start_kernel(env=env)
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def test_the_seed_example_is_the_documented_one() -> None:
    code = seed_example()
    assert "client = rqs.RQSClient()" in code
    assert "fields = 'display_name,video_description,create_time,id'" in code
    assert "limit = 10" in code
    compile(code, "seed", "exec")


def test_seed_example_runs_verbatim_in_a_kernel(kernel) -> None:
    stdout, _bundles, reply = run_cell(kernel, seed_example())
    assert reply["status"] == "ok"
    lines = stdout.strip().splitlines()
    assert re.fullmatch(
        r"QueryResult: 10 video records; quota left today: [\d,]+ of 5,000 \(resets at \S+T00:00:00Z\)",
        lines[0],
    )
    records = [ast.literal_eval(line) for line in lines[1:]]
    assert len(records) == 10
    for record in records:
        assert set(record) == SEED_FIELDS
        assert isinstance(record["id"], int) and isinstance(record["create_time"], int)
    assert len({record["id"] for record in records}) == 10


def test_the_result_displays_as_html_and_vce_mime(kernel) -> None:
    run_cell(kernel, seed_example())
    _stdout, bundles, reply = run_cell(kernel, "data")
    assert reply["status"] == "ok"
    assert len(bundles) == 1
    bundle = bundles[0]
    assert "<table" in bundle["text/html"] and "10 video records" in bundle["text/html"]
    payload = bundle["application/vnd.vce.query-result+json"]
    assert payload["count"] == 10 and payload["fields"] == [
        "display_name",
        "video_description",
        "create_time",
        "id",
    ]
    assert bundle["text/plain"].startswith("QueryResult: 10 video records")
