"""pyrqs in a JupyterLab kernel: the lab's kernel route and its kernel token (issue 17).

The kernel holds ``RQS_API_URL`` (the Jupyter server's route) and
``RQS_ACCESS_TOKEN`` (the server's kernel token), never a client secret.
"""

from __future__ import annotations

import pytest

from fake_platform import FakePlatform, fail, ok
from pyrqs import rqs

SIGNED_OUT = "Signed out of the VCE: sign in again (status bar)"
QUOTA = {"day": "2026-11-25", "daily_limit": 5000, "used": 2, "remaining": 4998}


@pytest.fixture
def kernel_env(fake: FakePlatform, clean_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    fake.valid_tokens.add("kernel-token")
    clean_env.setenv("RQS_API_URL", fake.url)
    clean_env.setenv("RQS_ACCESS_TOKEN", "kernel-token")
    return clean_env


def test_signed_out_answer_is_the_whole_message(fake: FakePlatform, kernel_env: object) -> None:
    fake.route("POST", "/v2/vce/query/", fail(401, "signed_out", SIGNED_OUT))
    client = rqs.RQSClient()
    with pytest.raises(rqs.AuthenticationError) as caught:
        client.query("video", fields="id", limit=10)
    assert str(caught.value) == SIGNED_OUT
    assert (caught.value.code, caught.value.status) == ("signed_out", 401)
    # One call, not retried: there is no sign-in to retry with.
    assert len(fake.seen) == 1
    assert fake.requests_to("/v2/oauth/token/") == []


def test_the_same_client_works_again_after_sign_in(fake: FakePlatform, kernel_env: object) -> None:
    client = rqs.RQSClient()
    fake.route("GET", "/v2/vce/quota/", fail(401, "signed_out", SIGNED_OUT))
    with pytest.raises(rqs.AuthenticationError, match="Signed out of the VCE"):
        client.get_quota()
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    assert client.get_quota() == QUOTA
    assert fake.seen[-1].headers["Authorization"] == "Bearer kernel-token"


@pytest.mark.parametrize("code", ["sign_in_rejected", "invalid_kernel_token"])
def test_other_lab_refusals_keep_their_message(
    fake: FakePlatform, kernel_env: object, code: str
) -> None:
    fake.route("GET", "/v2/vce/me/", fail(401, code, "Do this in the lab."))
    with pytest.raises(rqs.AuthenticationError) as caught:
        rqs.RQSClient().me()
    assert str(caught.value) == "Do this in the lab."


def test_an_explicit_key_and_secret_win_over_the_kernel_token(
    fake: FakePlatform, kernel_env: object
) -> None:
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    client = rqs.RQSClient(client_key=fake.client_key, client_secret=fake.client_secret)
    assert client.get_quota() == QUOTA
    assert len(fake.requests_to("/v2/oauth/token/")) == 1
    assert fake.seen[-1].headers["Authorization"] != "Bearer kernel-token"
