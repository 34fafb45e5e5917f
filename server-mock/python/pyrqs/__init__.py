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
from .result import QueryResult
from .rqs import RQSClient

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
