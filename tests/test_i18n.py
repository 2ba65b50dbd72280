import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_home_is_chinese_by_default_even_for_an_english_browser(client, reference):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "周村区儿童议事会" in page


def test_switching_to_english_is_remembered(client, reference):
    response = client.get("/lang/en?next=/plan/")
    assert response.status_code == 302 and response.headers["Location"] == "/plan/"
    page = client.get("/plan/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Child-friendly" in page  # plan areas in English too
    assert "Action plan" in page
    # The main links and the footer are kept per language (council/templating.py: kept_macro): each reader
    # gets their own language's, in either order.
    assert ">Statistics</span>" in page and ">Privacy</span>" in page and "For guardians" in page
    back = client.get("/lang/zh_Hans_CN?next=/")
    assert back.status_code == 302
    chinese = client.get("/plan/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in chinese
    assert ">Statistics</span>" not in chinese and ">Privacy</span>" not in chinese and "For guardians" not in chinese


def test_unknown_language_falls_back_to_chinese(client, reference):
    client.get("/lang/xx")
    assert '<html lang="zh-Hans">' in client.get("/").get_data(as_text=True)


def test_language_switch_never_leaves_the_site(client):
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"


def test_signed_in_choice_is_kept_on_the_account(client, auth, make):
    account = make.adult("polyglot")
    from council.extensions import db

    db.session.commit()
    auth.login("polyglot")
    client.get("/lang/en")
    db.session.refresh(account)
    assert account.locale == "en"


def _catalog(locale: str):
    with open(ROOT / "council" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(pot), "council"], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as f:
        return [m for m in read_po(f) if m.id]


def test_chinese_catalog_translates_every_string(source_messages):
    catalog = _catalog("zh_Hans_CN")
    missing = [m.id for m in source_messages
               if m.id not in catalog or not catalog[m.id].string or catalog[m.id].fuzzy]
    assert missing == []


def test_english_catalog_holds_every_string(source_messages):
    catalog = _catalog("en")
    assert [m.id for m in source_messages if m.id not in catalog] == []


def test_english_entries_of_chinese_words_are_filled():
    """An English msgid that quotes Chinese words (the names a file's headers or kinds may be written in) has its
    English text written out, as the English catalogue's other entries with Chinese have; an empty one reads as
    untranslated to every tool that checks the catalogue."""
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert [m.id for m in _catalog("en").values()
            if isinstance(m.id, str) and chinese.search(m.id) and not m.string] == []


def test_translations_keep_their_placeholders():
    for locale in ("zh_Hans_CN", "en"):
        for message in _catalog(locale).values():
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if strings[0]:  # a plural entry left to the source language is a tuple of empty strings
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                assert set(PLACEHOLDER.findall(ids[0])) == set(PLACEHOLDER.findall(strings[0])), message.id


# council/i18n.py (RequestDomain) keeps each request's catalogue beside Flask-Babel's own per-request state,
# ``g._flask_babel``, which is not public API: no public call tells cheaply that ``force_locale`` or ``refresh``
# switched the language (``get_locale()`` alone costs most of the lookup the kept catalogue saves). These tests pin
# what the patch relies on, so a Flask-Babel upgrade (pyproject.toml pins 4.0.0) that changes it fails here, rather
# than every page silently slowing down or a mail coming out in the wrong language.

def test_flask_babel_keeps_the_locale_where_the_kept_catalogue_looks(app):
    from flask_babel import force_locale, get_domain, get_locale, refresh

    from council.i18n import RequestDomain, _babel_state

    with app.test_request_context("/"):
        refresh()  # the test's app context is shared with this request's
        assert isinstance(get_domain(), RequestDomain)  # Babel.domain_instance is what gettext and _l use
        locale = get_locale()
        state = _babel_state()
        assert state is not None and state["babel_locale"] is locale  # g._flask_babel.babel_locale, this object
        with force_locale("en"):
            assert state["babel_locale"] is get_locale() and str(get_locale()) == "en"  # another object
        assert state["babel_locale"] is locale  # the very object put back
        refresh()
        assert "babel_locale" not in state  # forgotten, found again on the next get_locale()
        assert get_locale() is state["babel_locale"]


def test_the_kept_locale_name_follows_force_locale_refresh_and_the_cookie(app):
    from flask_babel import force_locale, get_locale, refresh

    from council.i18n import english_requested, locale_name

    for cookie, expected in ((None, "zh_Hans_CN"), ("en", "en")):
        headers = {"Cookie": f"lang={cookie}"} if cookie else {}
        with app.test_request_context("/", headers=headers):
            refresh()
            assert locale_name() == str(get_locale()) == expected
            assert locale_name() == expected  # the kept name, asked again
            other = "zh_Hans_CN" if expected == "en" else "en"
            with force_locale(other):
                assert locale_name() == other and english_requested() == (other == "en")
            assert locale_name() == expected
            refresh()
            assert locale_name() == expected
    with app.app_context():  # outside a request: the default language, as get_locale() says
        assert locale_name() == str(get_locale())


def test_a_request_looks_its_catalogue_up_once_and_still_switches_language(app, monkeypatch):
    from flask import render_template_string
    from flask_babel import Domain, force_locale, gettext, lazy_gettext, refresh

    lookups = []
    looked_up = Domain.get_translations
    monkeypatch.setattr(Domain, "get_translations", lambda self: lookups.append(1) or looked_up(self))
    with app.test_request_context("/"):
        refresh()
        assert [gettext("Action plan") for _ in range(3)] == ["行动方案"] * 3
        assert str(lazy_gettext("Action plan")) == "行动方案"
        assert render_template_string("{{ _('Action plan') }}") == "行动方案"
        assert len(lookups) == 1  # found once, then kept for the request
        with force_locale("en"):  # a mail to an English reader, written during a Chinese request
            assert gettext("Action plan") == "Action plan"
            assert render_template_string("{{ _('Action plan') }}") == "Action plan"
        assert gettext("Action plan") == "行动方案"
        refresh()
        assert gettext("Action plan") == "行动方案"
        assert len(lookups) == 4  # English, Chinese again, and after the refresh
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert gettext("Action plan") == "Action plan"
        with force_locale("zh_Hans_CN"):
            assert gettext("Action plan") == "行动方案"
        assert gettext("Action plan") == "Action plan"
    refresh()


def test_an_enum_label_is_put_into_words_once_per_language_and_follows_the_reader(app, monkeypatch):
    """``LabeledEnum.label`` keeps its words per language (council/db.py ``Label``): read fifty times in a list it
    asks the catalogue once, and a reader of the other language (the cookie, ``force_locale``) gets their own."""
    from flask_babel import force_locale, refresh

    from council.councils.models import Tier
    from council.i18n import RequestDomain

    asked = []
    translations = RequestDomain.get_translations
    monkeypatch.setattr(RequestDomain, "get_translations", lambda self: asked.append(1) or translations(self))
    label = Tier.town.label
    with app.test_request_context("/"):
        refresh()
        chinese = str(label)
        before = len(asked)
        assert [str(label) for _ in range(50)] == [chinese] * 50 and len(asked) == before
        with force_locale("en"):
            english = str(label)
        assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese) and english.isascii()
        assert str(label) == chinese
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert str(label) == english and f"{label}" == english
    refresh()
