"""Client key → hub user name (pure)."""

from __future__ import annotations

import pytest
from tornado import web

from jupyterlab_vce.hub import VCEAuthenticator, messages
from jupyterlab_vce.hub.usernames import (
    KEY_FORMAT_MESSAGE,
    hub_name,
    is_client_key,
    is_hub_name,
    normalize,
)


def test_a_lowercase_key_is_its_own_name() -> None:
    assert hub_name("aw12cd.ef_g-h") == "aw12cd.ef_g-h"


def test_a_key_with_capitals_is_lowercased_with_a_stable_hash() -> None:
    name = hub_name("AbC123")
    assert name.startswith("abc123~")
    assert len(name) == len("abc123~") + 10
    assert hub_name("AbC123") == name  # stable


def test_keys_that_differ_only_in_case_get_different_names() -> None:
    names = {hub_name(key) for key in ("abc", "ABC", "Abc", "aBc", "abC")}
    assert len(names) == 5
    assert "abc" in names


def test_a_mixed_case_name_never_equals_a_lowercase_key() -> None:
    name = hub_name("ABC")
    assert not is_client_key(name)  # "~" is outside the key alphabet


@pytest.mark.parametrize("key", ["abc", "ABC", "a.b_c-D", "X" * 128])
def test_the_rule_is_idempotent(key: str) -> None:
    name = hub_name(key)
    assert is_hub_name(name)
    assert normalize(name) == name
    assert normalize(key) == name


@pytest.mark.parametrize("text", ["", "a b", "a/b", "ключ", "x" * 129, "a:b", "a~b"])
def test_text_outside_the_key_format_is_refused(text: str) -> None:
    assert not is_client_key(text)
    with pytest.raises(ValueError, match="letters, digits"):
        hub_name(text)


def test_the_format_message_says_what_to_do() -> None:
    assert "Research projects page" in KEY_FORMAT_MESSAGE


def test_the_authenticator_and_an_admin_agree_on_names() -> None:
    """A key typed in the admin panel or the config gives the same user as its sign-in."""
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:1")
    for key in ("Res-Key.A1", "res-key-b2"):
        name = authenticator.normalize_username(key)
        assert name == hub_name(key)
        assert authenticator.normalize_username(name) == name
        assert authenticator.validate_username(name)


def test_the_authenticator_rejects_names_outside_the_rule() -> None:
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:1")
    for bad in ("ABC", "a b", "..", "abc~123", "abc~ABCDEF0123"):
        assert not authenticator.validate_username(bad)
    assert not authenticator.validate_username(authenticator.normalize_username("a b"))


def test_allowed_users_take_client_keys() -> None:
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:1", allowed_users={"ABC"})
    assert authenticator.allow_all is False
    assert VCEAuthenticator(platform_url="http://127.0.0.1:1").allow_all is True


def test_blocked_users_take_client_keys() -> None:
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:1", blocked_users={"ABC", "d"})
    assert authenticator.blocked_users == {hub_name("ABC"), "d"}
    assert authenticator.check_blocked_users("abc") is True
    with pytest.raises(web.HTTPError) as raised:
        authenticator.check_blocked_users(hub_name("ABC"))
    assert (raised.value.status_code, raised.value.log_message) == (403, messages.NOT_ALLOWED)


def test_a_user_outside_allowed_users_is_told_why() -> None:
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:1", allowed_users={"a"})
    assert authenticator.check_allowed("a") is True
    with pytest.raises(web.HTTPError) as raised:
        authenticator.check_allowed("b")
    assert raised.value.log_message == messages.NOT_ALLOWED
