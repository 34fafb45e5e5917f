from __future__ import annotations

from collections.abc import Iterator

import pytest

from fake_platform import FakePlatform
from pyrqs import rqs

RQS_VARIABLES = ("RQS_API_URL", "RQS_CLIENT_KEY", "RQS_CLIENT_SECRET", "RQS_ACCESS_TOKEN")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No RQS_ variable from the outer environment (e.g. a VCE kernel) leaks into a test."""
    for name in RQS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def fake(clean_env: pytest.MonkeyPatch) -> Iterator[FakePlatform]:
    platform = FakePlatform()
    yield platform
    platform.close()


@pytest.fixture
def client(fake: FakePlatform) -> rqs.RQSClient:
    return rqs.RQSClient(fake.url, fake.client_key, fake.client_secret, timeout=2)
