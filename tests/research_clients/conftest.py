"""Fixtures: fresh stand-ins (clean or with a fault plan) and the oracle's data file.

Each test module crawls its own clean stand-in (its own quota and search ids); each
fault run starts one more with its plan. The records each crawl collected are listed
at the end of the run (``-q`` included).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import oracle
import pytest
import server

#: (client, run, what, records) of every crawl, for the closing summary.
COLLECTED: list[tuple[str, str, str, int]] = []


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.StandIn]:
    stand_in = server.start(tmp_path_factory.mktemp("clean"))
    yield stand_in
    stand_in.stop()


@pytest.fixture
def faulty(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[dict[str, Any]], server.StandIn]]:
    """Start a stand-in with a fault plan; stopped after the test."""
    started: list[server.StandIn] = []

    def start(plan: dict[str, Any]) -> server.StandIn:
        stand_in = server.start(tmp_path_factory.mktemp("faults"), faults=plan)
        started.append(stand_in)
        return stand_in

    yield start
    for stand_in in started:
        stand_in.stop()


@pytest.fixture(scope="module")
def db(clean: server.StandIn) -> Iterator[sqlite3.Connection]:
    connection = oracle.connect(clean.data_file)
    yield connection
    connection.close()


@pytest.fixture
def collected() -> Callable[[str, str, str, int], None]:
    def note(client: str, run: str, what: str, records: int) -> None:
        COLLECTED.append((client, run, what, records))

    return note


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COLLECTED:
        return
    terminalreporter.section("records collected per crawl")
    for client, run, what, records in COLLECTED:
        terminalreporter.write_line(f"{client:<28} {run:<34} {what:<10} {records}")
