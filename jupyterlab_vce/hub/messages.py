"""What the login page says, and what the researcher can do about it.

Shown by JupyterHub's login page as its error line (an ``HTTPError`` raised while signing in
is rendered as the form's ``login_error``). Plain text: the page escapes it. No ``%`` (the
hub formats the message with ``%``).
"""

from __future__ import annotations

WHERE_TO_FIND = (
    "You find your Client key and Client secret on the platform's Research projects page: "
    "select your project to see its research client."
)
BLANK_KEY = f"Enter your Client key. {WHERE_TO_FIND}"
BLANK_SECRET = f"Enter your Client secret. {WHERE_TO_FIND}"
WRONG_PAIR = (
    "Client key or secret is incorrect. Copy both again from your project on the platform's "
    "Research projects page (the eye icon displays them) and sign in again; if the secret was "
    "reset there, only the new one works."
)
UNREACHABLE = (
    "The platform is unreachable; try again in a minute. If it stays unreachable, tell the "
    "administrator of this hub."
)
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
    return (
        "Too many failed sign-ins for this client key; try again in "
        f"{seconds} {unit}. {WHERE_TO_FIND}"
    )
