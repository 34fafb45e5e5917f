"""The login page's messages about the platform's answers (pure)."""

from __future__ import annotations

import pytest

from jupyterlab_vce.hub import messages


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("Grant type is missed.", "Grant type is missed."),
        ("  padded  ", "padded"),
        ("a secret-123 echoed", ""),  # never the secret
        ("100% busy", ""),  # the hub formats page messages with %
        ("two\nlines", ""),
        ("x" * (messages.MAX_PLATFORM_MESSAGE + 1), ""),
        ("", ""),
    ],
)
def test_only_a_fit_platform_message_reaches_the_page(said: str, shown: str) -> None:
    assert messages.safe_platform_message(said, "secret-123") == shown


def test_a_refused_request_says_the_status_and_what_to_do() -> None:
    assert messages.platform_refused(400, "Bad form.") == (
        "The platform refused the sign-in request (HTTP 400: Bad form.). Try again later; "
        "if it persists, tell the administrator of this hub."
    )
    assert "(HTTP 503)." in messages.platform_refused(503, "")


@pytest.mark.parametrize(
    ("seconds", "when"), [(1, "in 1 second."), (45, "in 45 seconds."), (None, "in a minute.")]
)
def test_rate_limited_says_how_long(seconds: int | None, when: str) -> None:
    assert messages.rate_limited(seconds).endswith(f"try again {when}")
    assert "unreachable" not in messages.rate_limited(seconds)
