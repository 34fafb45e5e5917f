"""What the login page says, and what the researcher can do about it.

Shown by JupyterHub's login page as its error line (an ``HTTPError`` raised while signing in
is rendered as the form's ``login_error``). Plain text: the page escapes it. No ``%`` (the
hub formats the message with ``%``).
"""

from __future__ import annotations

# The page shows where to find the pair right under the fields, so the messages do not repeat it:
# each is one or two short sentences (what went wrong, what to do).
BLANK_KEY = "Enter your Client key."
BLANK_SECRET = "Enter your Client secret."
WRONG_PAIR = (
    "Client key or secret is incorrect. Copy both again from the Research projects page; "
    "if the secret was reset, only the new one works."
)
UNREACHABLE = (
    "The platform is unreachable; try again in a minute. If it stays unreachable, tell the "
    "administrator of this hub."
)
#: The longest platform message quoted on the page (longer ones are left out).
MAX_PLATFORM_MESSAGE = 200
NOT_ALLOWED = (
    "The platform accepted this client key, but this hub does not let it sign in: ask the hub's "
    "administrator to allow it."
)
NO_STORED_PAIR = (
    "This sign-in holds no client key and secret any more (the hub's encryption key may have "
    "changed): sign out, then sign in again with your Client key and Client secret."
)


def locked(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many failed sign-ins for this client key; try again in {seconds} {unit}."


def hub_busy(seconds: int) -> str:
    """Every slot of the hub's backoff table is a locked key (a spray of wrong pairs)."""
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"Too many failed sign-ins on this hub right now; try again in {seconds} {unit}. "
        "If it persists, tell the administrator of this hub."
    )


def rate_limited(seconds: int | None) -> str:
    """The platform answered 429: it is busy or limits sign-ins; wait as long as it asked."""
    if seconds is None:
        when = "in a minute"
    else:
        when = f"in {seconds} second" + ("" if seconds == 1 else "s")
    return f"The platform is busy (it limits sign-in requests); try again {when}."


def safe_platform_message(message: str, secret: str) -> str:
    """The platform's error message if it is fit for the page; "" if not.

    Fit: one line of printable text, at most MAX_PLATFORM_MESSAGE characters, no ``%`` (the
    hub formats page messages with ``%``) and never the secret (a platform may echo its input).
    """
    message = message.strip()
    if (
        not message
        or len(message) > MAX_PLATFORM_MESSAGE
        or not message.isprintable()
        or "%" in message
        or (secret and secret in message)
    ):
        return ""
    return message


def platform_refused(status: int | None, message: str) -> str:
    """The platform answered the sign-in request with an error that is not about the pair."""
    said = f"HTTP {status}: {message}" if message else f"HTTP {status}"
    return (
        f"The platform refused the sign-in request ({said}). Try again later; if it persists, "
        "tell the administrator of this hub."
    )
