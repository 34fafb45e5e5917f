"""A fresh built stand-in (``server-mock/dist/cli.js``) for one crawl, and its data file.

Each stand-in gets its own data folder (a small generated data set, its own state:
search ids, quota), one research client given with ``--client``, and optionally a
fault plan (``--faults FILE``). The public data it serves is the SQLite file
``DATA/public-data-s<SEED>-v<N>.sqlite``: the tests' oracle reads it directly.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "server-mock" / "dist" / "cli.js"

#: The data set every crawl runs on: big enough for several pages per query.
VIDEOS = 20000
SEED = 20
CLIENT_KEY = "clients-crawler"
CLIENT_SECRET = "clients-crawler-secret-0123456789"


#: The data file the first stand-in generated: later ones start from a copy (the stand-in
#: reuses DATA/public-data-s<SEED>-v<N>.sqlite when it is there), a second less each.
_generated: Path | None = None


@dataclass
class StandIn:
    base: str
    data_dir: Path
    process: subprocess.Popen[str]
    log: Path

    @property
    def data_file(self) -> Path:
        """The public data the stand-in serves (the oracle's source)."""
        files = sorted(self.data_dir.glob("public-data-*.sqlite"))
        assert len(files) == 1, f"one public data file expected in {self.data_dir}: {files}"
        return files[0]

    def served(self, code: str, message: str = "") -> int:
        """How many answers with this error code (and ``message`` in their message) the
        stand-in gave: its log has a line for each."""
        count = 0
        for line in self.log.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            count += (
                isinstance(entry, dict)
                and entry.get("code") == code
                and message in str(entry.get("msg", ""))
            )
        return count

    def log_tail(self) -> str:
        return self.log.read_text()[-3000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def plan(*faults: dict[str, Any], seed: int = 1) -> dict[str, Any]:
    """A fault plan (server-mock/README.md § Faults on a switch)."""
    return {"seed": seed, "faults": list(faults)}


def start(data_dir: Path, faults: dict[str, Any] | None = None) -> StandIn:
    """Start a stand-in on a free loopback port (with the fault plan ``faults`` if given)."""
    if not CLI.exists():
        raise RuntimeError(f"{CLI} is missing: build the stand-in (bash scripts/setup.sh)")
    global _generated
    data_dir.mkdir(parents=True, exist_ok=True)
    if _generated is not None and _generated.exists():
        shutil.copyfile(_generated, data_dir / _generated.name)
    command = [
        "node",
        str(CLI),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--videos",
        str(VIDEOS),
        "--seed",
        str(SEED),
        "--client",
        f"{CLIENT_KEY}:{CLIENT_SECRET}",
    ]
    # The Research API's own limits (1,000 requests and 100,000 records a day, 600 requests a
    # minute, per client) are not what these crawls test: lifted (a fault plan plays the 429s).
    command += [
        "--research-daily-requests",
        "1000000",
        "--research-daily-records",
        "100000000",
        "--research-per-minute",
        "1000000",
    ]
    if faults is not None:
        plan = data_dir / "faults.json"
        plan.write_text(json.dumps(faults, indent=2))
        command += ["--faults", str(plan)]
    log = data_dir / "stand-in.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log_file, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if match is None:
        process.kill()
        process.wait()
        raise RuntimeError(f"the stand-in did not start: {line!r}\n{log.read_text()[-3000:]}")
    # Whatever it prints after that line goes to a file: a full pipe would block it.
    threading.Thread(target=_drain, args=(process, data_dir / "stand-in.out"), daemon=True).start()
    stand_in = StandIn(match.group(1), data_dir, process, log)
    _generated = _generated or stand_in.data_file
    return stand_in


def _drain(process: subprocess.Popen[str], path: Path) -> None:
    assert process.stdout is not None
    with path.open("w") as out:
        for line in process.stdout:
            out.write(line)
