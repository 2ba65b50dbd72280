"""The platform's own files under addresses that name their content (council/assets.py): kept by browsers for a
year, fetched again once they change. tests/test_access.py checks every page of every account with ``unnamed``."""

import hashlib
import re
from pathlib import Path

from council.assets import YEAR, fingerprint

STATIC = re.compile(r'(?:href|src)="(/static/[^"]*)"')


def _file(address: str) -> tuple[str, str]:
    """``/static/css/app.css?v=…`` -> (``css/app.css``, ``v=…``)."""
    path, _, query = address.replace("&amp;", "&").partition("?")
    return path.removeprefix("/static/"), query


def unnamed(html: str, folder: str) -> list[str]:
    """The page's addresses of the platform's files that do not name the file's current content."""
    wrong = []
    for address in STATIC.findall(html):
        name, query = _file(address)
        if query != f"v={hashlib.sha256((Path(folder) / name).read_bytes()).hexdigest()[:12]}":
            wrong.append(address)
    return wrong


def test_a_named_file_is_kept_for_a_year_and_any_other_address_is_checked_each_time(client, app):
    html = client.get("/").get_data(as_text=True)
    addresses = STATIC.findall(html)
    assert any(a.startswith("/static/css/app.css?v=") for a in addresses)
    assert unnamed(html, app.static_folder) == []
    for address in addresses:
        with client.get(address) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
            assert response.get_data() == (Path(app.static_folder) / _file(address)[0]).read_bytes()
    for address in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        with client.get(address) as response:
            assert response.status_code == 200
            assert "immutable" not in response.headers["Cache-Control"]
            assert "max-age" not in response.headers["Cache-Control"]
    with client.get("/static/css/none.css?v=0123456789ab") as response:
        assert response.status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path):
    sheet = tmp_path / "css" / "app.css"
    sheet.parent.mkdir()
    sheet.write_text("body { color: #111; }")
    before = fingerprint(str(tmp_path), "css/app.css")
    assert before == hashlib.sha256(sheet.read_bytes()).hexdigest()[:12]
    sheet.write_text("body { color: #222; }  /* a release */")
    assert fingerprint(str(tmp_path), "css/app.css") not in (None, before)
    assert fingerprint(str(tmp_path), "css/none.css") is None
    assert fingerprint(str(tmp_path), "../secret") is None
    assert fingerprint(str(tmp_path), "css") is None
