"""The platform client: token caching, refresh, and error mapping."""

from __future__ import annotations

import asyncio

import pytest

from jupyterlab_vce.credentials import Credentials, CredentialsSource
from jupyterlab_vce.platform_client import (
    IDENTITY_PATH,
    QUOTA_PATH,
    CredentialsRejected,
    NotSignedIn,
    PlatformClient,
    PlatformError,
    PlatformUnreachable,
    refresh_time,
)

from .fake_platform import (
    CLIENT_KEY,
    CLIENT_SECRET,
    IDENTITY,
    LOG_ID,
    QUOTA,
    FakePlatform,
    envelope,
)

GOOD = Credentials(CLIENT_KEY, CLIENT_SECRET, CredentialsSource.ENVIRONMENT)
WRONG = Credentials(CLIENT_KEY, "not-the-secret", CredentialsSource.SIGN_IN)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(fake_platform: FakePlatform, clock: FakeClock) -> PlatformClient:
    return PlatformClient(fake_platform.url, GOOD, clock=clock)


def test_refresh_time_is_a_minute_before_expiry_or_halfway_for_short_tokens() -> None:
    assert refresh_time(100.0, 7200) == 100.0 + 7200 - 60
    assert refresh_time(100.0, 30) == 100.0 + 15


async def test_many_calls_share_one_token(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    for _ in range(5):
        assert await client.get_data(QUOTA_PATH) == QUOTA
    assert fake_platform.token_requests == 1
    assert fake_platform.data_requests == 5


async def test_identity_is_asked_once_per_credentials(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    assert await client.identity() == IDENTITY
    assert await client.identity() == IDENTITY
    assert fake_platform.data_requests == 1
    await client.sign_in(Credentials(CLIENT_KEY, CLIENT_SECRET, CredentialsSource.SIGN_IN))
    assert await client.identity() == IDENTITY
    assert fake_platform.data_requests == 2


async def test_concurrent_first_calls_make_one_token_request(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    fake_platform.token_delay = 0.05
    results = await asyncio.gather(*(client.get_data(IDENTITY_PATH) for _ in range(8)))
    assert results == [IDENTITY] * 8
    assert fake_platform.token_requests == 1


async def test_token_is_replaced_a_minute_before_it_expires(
    client: PlatformClient, fake_platform: FakePlatform, clock: FakeClock
) -> None:
    await client.get_data(QUOTA_PATH)
    clock.now += 7200 - 61
    await client.get_data(QUOTA_PATH)
    assert fake_platform.token_requests == 1
    clock.now += 2
    await client.get_data(QUOTA_PATH)
    assert fake_platform.token_requests == 2


async def test_token_refused_by_the_platform_is_fetched_again_once_and_the_call_retried(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    await client.get_data(QUOTA_PATH)
    fake_platform.revoke_tokens()
    assert await client.get_data(QUOTA_PATH) == QUOTA
    assert fake_platform.token_requests == 2
    assert fake_platform.data_requests == 3  # the refused call, then its retry


async def test_concurrent_calls_refused_together_share_one_new_token(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    await client.get_data(QUOTA_PATH)
    fake_platform.revoke_tokens()
    results = await asyncio.gather(*(client.get_data(QUOTA_PATH) for _ in range(4)))
    assert results == [QUOTA] * 4
    assert fake_platform.token_requests == 2


async def test_sign_in_verifies_and_keeps_the_token(fake_platform: FakePlatform) -> None:
    client = PlatformClient(fake_platform.url)
    await client.sign_in(GOOD)
    assert client.credentials == GOOD
    await client.get_data(IDENTITY_PATH)
    assert fake_platform.token_requests == 1


async def test_refused_sign_in_keeps_the_previous_credentials(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    with pytest.raises(CredentialsRejected) as refused:
        await client.sign_in(WRONG)
    assert (refused.value.status, refused.value.code, refused.value.log_id) == (
        401,
        "invalid_client",
        LOG_ID,
    )
    assert refused.value.message == "Client key or secret is incorrect."
    assert client.credentials == GOOD


async def test_a_pair_refused_at_http_200_is_a_refusal(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    # The platform's token route may answer its flat invalid_client body at 200 (ResearchTikPy PR #28).
    fake_platform.refusal_status = 200
    with pytest.raises(CredentialsRejected) as refused:
        await client.sign_in(WRONG)
    assert (refused.value.status, refused.value.code) == (401, "invalid_client")
    assert refused.value.message == "Client key or secret is incorrect."
    assert client.credentials == GOOD


async def test_without_credentials_calls_raise_not_signed_in(fake_platform: FakePlatform) -> None:
    client = PlatformClient(fake_platform.url)
    with pytest.raises(NotSignedIn):
        await client.get(QUOTA_PATH)
    assert fake_platform.token_requests == 0


async def test_sign_out_forgets_credentials_and_token(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    await client.get(QUOTA_PATH)
    client.sign_out()
    with pytest.raises(NotSignedIn):
        await client.get(QUOTA_PATH)
    assert client.credentials is None


async def test_platform_4xx_keeps_its_status_and_envelope(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    fake_platform.quota_error = (429, envelope("quota_exceeded", "No records left today."))
    with pytest.raises(PlatformError) as failure:
        await client.get(QUOTA_PATH)
    assert failure.value.envelope() == envelope("quota_exceeded", "No records left today.")
    assert failure.value.status == 429


async def test_platform_5xx_becomes_502_with_its_envelope(
    client: PlatformClient, fake_platform: FakePlatform
) -> None:
    fake_platform.quota_error = (500, envelope("internal", "Database is locked."))
    with pytest.raises(PlatformError) as failure:
        await client.get(QUOTA_PATH)
    assert (failure.value.status, failure.value.code) == (502, "internal")


async def test_closed_port_is_unreachable(closed_port_url: str) -> None:
    client = PlatformClient(closed_port_url, GOOD)
    with pytest.raises(PlatformUnreachable) as failure:
        await client.get(QUOTA_PATH)
    assert failure.value.status == 503
    assert failure.value.message == (
        f"The platform at {closed_port_url} is not answering (Connection refused)."
    )


async def test_unavailable_platform_says_why() -> None:
    client = PlatformClient(None, GOOD, unavailable_message="server-mock is not built.")
    with pytest.raises(PlatformUnreachable, match=r"server-mock is not built\."):
        await client.get(QUOTA_PATH)


def test_secret_is_not_in_the_repr_of_credentials() -> None:
    assert CLIENT_SECRET not in repr(GOOD)
    assert CLIENT_KEY in repr(GOOD)
