"""pyrqs: the Virtual Compute Environment query SDK (local stand-in for vce-mock).

Use it as the VCE guide shows::

    from pyrqs import rqs
    client = rqs.RQSClient()
"""

from . import rqs
from .errors import (
    AuthenticationError,
    ConfigurationError,
    PlatformUnavailableError,
    QueryTaskError,
    QuotaExceededError,
    RQSError,
    ValidationError,
)
from .notebook_errors import install_in_running_ipython
from .result import QueryResult
from .rqs import RQSClient

install_in_running_ipython()

__version__ = "0.1.0"

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "PlatformUnavailableError",
    "QueryResult",
    "QueryTaskError",
    "QuotaExceededError",
    "RQSClient",
    "RQSError",
    "ValidationError",
    "__version__",
    "rqs",
]
