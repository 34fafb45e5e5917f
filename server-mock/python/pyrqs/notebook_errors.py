"""How the SDK's errors look in a notebook: the researcher's lines, never the SDK's.

IPython hides frames that set ``__tracebackhide__`` but always shows the last one, and
the last one is where the SDK raised. So, in IPython, an :class:`RQSError` is shown
through a handler that drops the SDK's own frames first: the cell's line that called
the SDK, then the error and its message. Nothing else changes (the exception is the
same object; other exceptions, and an RQSError outside IPython, show as always).
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

from .errors import RQSError

SDK_FOLDER = Path(__file__).resolve().parent


def _is_sdk_frame(tb: types.TracebackType) -> bool:
    return Path(tb.tb_frame.f_code.co_filename).resolve().parent == SDK_FOLDER


def without_sdk_frames(tb: types.TracebackType | None) -> types.TracebackType | None:
    """The same traceback without the frames of the SDK's own files (its first frame kept
    when every frame is the SDK's, so there is always a place to show)."""
    kept: list[types.TracebackType] = []
    walk = tb
    while walk is not None:
        if not _is_sdk_frame(walk):
            kept.append(walk)
        walk = walk.tb_next
    if not kept:
        return tb
    rebuilt: types.TracebackType | None = None
    for frame in reversed(kept):
        rebuilt = types.TracebackType(rebuilt, frame.tb_frame, frame.tb_lasti, frame.tb_lineno)
    return rebuilt


def _show_without_sdk_frames(
    shell: Any,
    etype: type[BaseException],
    value: BaseException,
    tb: types.TracebackType | None,
    tb_offset: int | None = None,
) -> None:
    shell.showtraceback((etype, value, without_sdk_frames(tb)), tb_offset=tb_offset)


def install(shell: Any) -> bool:
    """Show RQSErrors without the SDK's frames in this IPython shell; False (and nothing
    changed) when the shell already has a custom exception handler of someone else's."""
    if shell.custom_exceptions not in ((), (RQSError,)):
        return False
    shell.set_custom_exc((RQSError,), _show_without_sdk_frames)
    return True


def install_in_running_ipython() -> None:
    """At import: when running in IPython (a kernel, the IPython shell), install the handler."""
    try:
        from IPython import get_ipython  # noqa: PLC0415 — IPython is optional
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        install(shell)
