"""Print one closing line over every test runner's report: 'N passed, N failed'."""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def jest_counts(path: Path) -> tuple[int, int]:
    """A suite that fails to run (a type error, say) counts as one failure."""
    report = json.loads(path.read_text())
    return report["numPassedTests"], report["numFailedTests"] + report["numRuntimeErrorTestSuites"]


def pytest_counts(path: Path) -> tuple[int, int]:
    root = ET.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    total, failures, errors, skipped = (
        int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")
    )
    return total - failures - errors - skipped, failures + errors


def junit_dir_counts(path: Path) -> tuple[int, int]:
    """A folder of JUnit reports (one per fuzz pass): their sums; an empty folder is one failure."""
    reports = sorted(path.glob("*.xml"))
    counts = [pytest_counts(report) for report in reports] or [(0, 1)]
    return sum(ok for ok, _ in counts), sum(bad for _, bad in counts)


def playwright_counts(path: Path) -> tuple[int, int]:
    stats = json.loads(path.read_text())["stats"]
    return stats["expected"] + stats.get("flaky", 0), stats["unexpected"]


READERS = {
    "jest-server-mock.json": ("jest server-mock", jest_counts),
    "jest-frontend.json": ("jest frontend", jest_counts),
    "pytest.xml": ("pytest server extension and hub (JupyterHub 6)", pytest_counts),
    "pytest-hub55.xml": ("pytest hub (JupyterHub 5.5)", pytest_counts),
    "pytest-research-clients.xml": (
        "pytest public Research API clients (three PyPI clients)",
        pytest_counts,
    ),
    "pytest-pyrqs.xml": ("pytest pyrqs", pytest_counts),
    "fuzz-stand-in": ("fuzz stand-in (Schemathesis, operations per pass)", junit_dir_counts),
    "fuzz-extension": (
        "fuzz server extension (Schemathesis, operations per pass)",
        junit_dir_counts,
    ),
    "galata.json": ("galata", playwright_counts),
    "galata-hub.json": ("galata hub", playwright_counts),
}


def main(reports: Path) -> int:
    passed = failed = 0
    for name, (label, read) in READERS.items():
        path = reports / name
        if not path.exists():
            print(f"{label}: no report (the runner did not finish)")
            failed += 1
            continue
        ok, bad = read(path)
        print(f"{label}: {ok} passed, {bad} failed")
        passed, failed = passed + ok, failed + bad
    print(f"all: {passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
