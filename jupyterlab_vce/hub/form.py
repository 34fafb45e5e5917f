"""The login form's fields, checked before anything is sent to the platform (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from . import messages
from .usernames import KEY_FORMAT_MESSAGE, hub_name, is_client_key, is_hub_name


@dataclass(frozen=True)
class SignIn:
    """A well-formed sign-in: the exact client key, its hub name and the secret."""

    client_key: str
    name: str
    client_secret: str

    def __repr__(self) -> str:  # never the secret, whatever prints this
        return f"SignIn(client_key={self.client_key!r}, name={self.name!r})"


class FormProblem(ValueError):
    """The form cannot be sent to the platform.

    ``message`` is for the page, ``log_reason`` for the hub's log: it never holds the field
    values of a malformed key (a secret pasted in the key field must not reach the log).
    """

    def __init__(self, message: str, log_reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.log_reason = log_reason


def read_form(data: dict[str, object]) -> SignIn:
    """The sign-in the form holds, or :class:`FormProblem` saying what is wrong.

    ``username`` is the client key (surrounding spaces dropped: a copy and paste adds them);
    ``password`` is the client secret, taken exactly as typed.
    """
    raw_key = data.get("username")
    raw_secret = data.get("password")
    key = raw_key.strip() if isinstance(raw_key, str) else ""
    secret = raw_secret if isinstance(raw_secret, str) else ""
    if not key:
        raise FormProblem(messages.BLANK_KEY, "no client key")
    if not secret:
        # The key is named in the log only when it has the key format (it is not a secret then).
        shown = f" for key {key!r}" if is_client_key(key) else ""
        raise FormProblem(messages.BLANK_SECRET, f"no client secret{shown}")
    if not is_client_key(key):
        raise FormProblem(
            KEY_FORMAT_MESSAGE, f"a client key in the wrong format ({len(key)} characters)"
        )
    name = hub_name(key)
    if not is_hub_name(name):  # "." or "..": keys the hub cannot use in a URL
        raise FormProblem(KEY_FORMAT_MESSAGE, f"client key {key!r} cannot name a hub user")
    return SignIn(client_key=key, name=name, client_secret=secret)
