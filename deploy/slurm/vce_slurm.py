"""batchspawner's SlurmSpawner for VCE researchers: cluster accounts, and no secret in the logs.

Two things batchspawner 1.3.0's ``SlurmSpawner`` assumes do not hold for a VCE hub:

- It submits and runs a lab as the Unix account named like the hub user (``sudo -E -u
  {username}``, ``pwd.getpwnam(user.name)``). A VCE hub user is named after the researcher's
  client key (lowercase, with a ``~hash`` suffix when the key has capitals): not an account
  name. ``VCESlurmSpawner.accounts`` maps hub users to their cluster accounts; a researcher
  without one is told so instead of a failed ``sudo``. Each researcher needs an account of
  their own: labs of one account could read each other's environment (``/proc/<pid>/environ``)
  and so each other's client secret.
- It logs the submission's environment at debug level (``submit_batch_script``: "Spawner
  submitting environment: %s"), which holds RQS_CLIENT_SECRET. The names are logged instead.
"""

from __future__ import annotations

import logging
import pwd
import re
from collections.abc import Mapping
from typing import Any

from batchspawner import SlurmSpawner
from tornado import web
from traitlets import Dict, default

#: The message batchspawner logs the submission's environment with (batchspawner.py L284).
ENVIRONMENT_MESSAGE = "Spawner submitting environment: %s"
#: A POSIX account name (useradd's default NAME_REGEX, with capitals).
ACCOUNT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")


class AccountProblem(Exception):
    """A researcher cannot be given a cluster account: the message says why and what to do."""


def cluster_account(hub_name: str, accounts: Mapping[str, str]) -> str:
    """The cluster account a hub user's lab runs as, from the site's mapping."""
    account = accounts.get(hub_name)
    if account is None:
        raise AccountProblem(
            f"No cluster account is set for the researcher {hub_name!r}: an administrator adds "
            "it to the hub's account map (VCESlurmSpawner.accounts) and restarts the hub."
        )
    if not ACCOUNT_NAME.match(account) or account == "root":
        raise AccountProblem(
            f"The cluster account {account!r} set for {hub_name!r} is not a user account name."
        )
    return account


class RedactSubmittedEnvironment(logging.Filter):
    """Log the names of the submission's environment, not its values (the client secret)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == ENVIRONMENT_MESSAGE and record.args:
            environment = record.args[0] if isinstance(record.args, tuple) else record.args
            if isinstance(environment, Mapping):
                record.args = (", ".join(sorted(environment)) + " (values not logged)",)
        return True


class VCESlurmSpawner(SlurmSpawner):
    """SlurmSpawner running each researcher's lab as their own cluster account."""

    accounts = Dict(
        help="""Hub user name → cluster account (a Unix user on the cluster's nodes).

        Hub user names are the researchers' client keys as the hub keeps them (see the hub's
        user list). A researcher not in the map cannot start a lab, and is told why.
        """,
    ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not any(isinstance(f, RedactSubmittedEnvironment) for f in self.log.filters):
            self.log.addFilter(RedactSubmittedEnvironment())

    @property
    def account(self) -> str:
        try:
            return cluster_account(self.user.name, self.accounts)
        except AccountProblem as problem:
            raise web.HTTPError(403, str(problem)) from None

    def _passwd(self) -> pwd.struct_passwd:
        try:
            return pwd.getpwnam(self.account)
        except KeyError:
            raise web.HTTPError(
                403,
                f"The cluster account {self.account!r} does not exist on the hub's machine: the "
                "hub submits as it, so the hub and the nodes must share their accounts (LDAP, "
                "SSSD).",
            ) from None

    @default("req_username")
    def _req_username_default(self) -> str:
        return self.account

    @default("req_homedir")
    def _req_homedir_default(self) -> str:
        return self._passwd().pw_dir

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        """USER, HOME and SHELL of the researcher's cluster account (batchspawner's UserEnvMixin
        reads them for the hub user's name)."""
        entry = self._passwd()
        env["USER"] = self.account
        if entry.pw_dir:
            env["HOME"] = entry.pw_dir
        if entry.pw_shell:
            env["SHELL"] = entry.pw_shell
        return env
