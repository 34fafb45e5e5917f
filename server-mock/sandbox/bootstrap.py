"""Runs a clean-room job's script (``.py``) or notebook (``.ipynb``, code cells top to bottom).

Started by ``launch.sh`` inside the sandbox: ``python -s -E -B bootstrap.py <pyrqs parent> <entry>``,
with the job's folder as the working directory. When the script raises, the
exception's *type*, the *line* in the researcher's own code and its *message*
(cut to 1,000 characters) are written as one JSON line to file descriptor 3
(the platform reads it). The message is the script's output like any other:
the platform reviews it before a researcher sees it (src/jobs/error-report.ts).
The full traceback goes to stderr, which is kept with the job's logs and
reviewed like every other output.
"""

import json
import os
import sys
import traceback

FAILURE_FD = 3


MESSAGE_CHARS = 1000


def _message(error: BaseException) -> str:
    try:
        text = str(error)
    except Exception:  # noqa: BLE001 - a __str__ that raises leaves no message
        return ""
    return text[:MESSAGE_CHARS]


def _report(error: BaseException, line, where: str) -> None:
    report = {"type": type(error).__name__, "line": line, "file": where, "message": _message(error)}
    try:
        os.write(FAILURE_FD, (json.dumps(report) + "\n").encode())
    except OSError:
        pass


def _print_traceback(error: BaseException) -> None:
    """The traceback on stderr from the researcher's code on: the bootstrap's own frame left out."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb)


def _own_frame(tb, is_own):
    """The innermost traceback entry in the researcher's code: (filename, line) or None."""
    found = None
    for frame, line in traceback.walk_tb(tb):
        if is_own(frame.f_code.co_filename):
            found = (frame.f_code.co_filename, line)
    return found


def _work_file(work_dir: str):
    prefix = work_dir.rstrip(os.sep) + os.sep

    def is_own(filename: str) -> bool:
        return filename.startswith(prefix)

    return is_own


def _run_script(entry: str, work_dir: str) -> int:
    path = os.path.join(work_dir, entry)
    with open(path, "rb") as handle:
        source = handle.read()
    code = compile(source, path, "exec")
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
    try:
        exec(code, namespace)
    except SystemExit as stop:
        return _exit_code(stop)
    except BaseException as error:  # noqa: BLE001 - every failure is reported
        _print_traceback(error)
        own = _own_frame(error.__traceback__, _work_file(work_dir))
        where = os.path.relpath(own[0], work_dir) if own else entry
        _report(error, own[1] if own else None, where)
        return 1
    return 0


def _exit_code(stop: SystemExit) -> int:
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=sys.stderr)
    return 1


def _run_notebook(entry: str, work_dir: str) -> int:
    path = os.path.join(work_dir, entry)
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    shell = None
    try:
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell.instance()
    except ImportError:
        shell = None
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    cells = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        cell_name = f"<{entry} cell {number}>"
        if shell is not None:
            # IPython turns magics (%time, !ls) into Python; the cell runs as plain code after that.
            source = shell.transform_cell(source)
        try:
            exec(compile(source, cell_name, "exec"), namespace)
        except SystemExit as stop:
            code = _exit_code(stop)
            if code:
                return code
            return 0
        except BaseException as error:  # noqa: BLE001
            _print_traceback(error)
            own = _own_frame(
                error.__traceback__,
                lambda name, cell=cell_name: name == cell or _work_file(work_dir)(name),
            )
            if own and own[0] != cell_name:
                _report(error, own[1], os.path.relpath(own[0], work_dir))
            else:
                _report(error, own[1] if own else None, f"{entry} (cell {number})")
            return 1
    return 0


def main() -> int:
    pyrqs_parent, entry = sys.argv[1], sys.argv[2]
    work_dir = os.getcwd()
    # The job's folder first (its companion modules), then pyrqs; nothing of the user's site.
    sys.path[:] = [work_dir, pyrqs_parent] + [p for p in sys.path[1:] if p]
    sys.argv = [entry]
    try:
        os.set_inheritable(FAILURE_FD, False)
    except OSError:
        pass
    if entry.lower().endswith(".ipynb"):
        return _run_notebook(entry, work_dir)
    return _run_script(entry, work_dir)


if __name__ == "__main__":
    sys.exit(main())
