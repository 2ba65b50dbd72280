"""Form robustness: every POST route, signed in as an account ALLOWED to use it, sent what careless hands and
tired browsers send. Beside the access matrices (tests/test_access.py, tests/test_access_posts.py), from which it
takes the paths, the realistic forms and the demo objects (``POSTS``, ``demo_ids``). A POST route without an entry
in ``ALLOWED`` fails, as in tests/test_access_posts.py; ``Elsewhere`` names why a route is not exercised here (a
button with no field, a session of one's own, the token-only JSON API).

How it works. For each entry the test opens the page that shows the form (``page``; the route's own path when not
given), finds the ``<form method="post">`` that posts to the route, and reads its fields as a browser does: their
kind (``type="date"``, ``number``, ``file``, a ``textarea`` …), their label, and what the browser would send
unchanged. The realistic form is that, plus the case's ``data`` from POSTS, plus the entry's own ``data``. Then,
one field at a time, the others left realistic:

(a) ``empty``: every field empty (no file);
(b) ``long:<field>``: each text field (and password) 10,000 characters;
(c) ``date:<field>=<value>``: each date or date-and-time field empty, ``2026-02-30``, ``0001-01-01``,
    ``9999-12-31``, ``abc``;
(d) ``number:<field>=<value>``: each number field ``-1``, ``1e309``, ``abc`` and a 20-digit number;
(e) ``file:<field>=<empty|text|big|huge>``: each file field with no file, a text file named .png, a file over the
    picture limit (``IMAGE_MAX_BYTES``), and a request over ``MAX_CONTENT_LENGTH``.

The rules every answer is held to:

- never a 5xx (``PROPAGATE_EXCEPTIONS`` is off, so a crash is an answer and its exception is reported);
- refused (the form again with an error, a redirect to a page showing an error, or an error page): no row of any
  table changed. The smallest honest exceptions, per entry in ``keeps``: the idea wizard saves a child's words on
  every step, refused or not (table ``proposals``), and a failed sign-in is on the record (``events``). Never
  counted: the audit log's records that an adult saw a child's data, which showing a form about a child again is;
- accepted (a redirect to a page without an error, 204, or a page without one): only the variants an entry names
  in ``accepts``, each with the reason beside it (an optional field left empty, a button whose hidden value left
  empty is its plain action); rows may then change. They are sent last, so the others meet the demo as it was, and
  each pattern must match a variant that was accepted;
- a form with a field a person types in (text, password, date, number, file) is shown again when refused: status
  400 or 200, the same ``<form>``, with an error message that names the field: it stands in the field's box beside
  its label (``.has-error`` holding the ``.field-error``, as macros/forms.html does) or its text has the label's
  words. What was typed is still in the field (text, date and number variants; never a password, which is not sent
  back, nor a file, which no browser fills in again);
- a form of buttons and choices only (radios, selects, checkboxes, hidden values: nothing typed that could be lost)
  may instead answer a refusal with a redirect to a page that flashes it, or with the error page;
- every error is in the reader's language: Chinese (the default) has Chinese characters in it; the first refusal
  of each entry is sent again with the English cookie and then has none (but in what it quotes);
- over MAX_CONTENT_LENGTH: 413 and a page, in the reader's language, that says the file is too big, how many MB a
  form may send, and offers the way back to the form (a link into the browser's history, js/back.js), where the
  words typed are still there: the form cannot be shown again, its request was never read.

One demo database per entry (the ``demo`` fixture gives each test its own copy), all its variants in one test.
``FORMS_DEBUG=1 pytest -s tests/test_forms.py`` prints every answer.
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from flask import got_request_exception
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD
from tests.markup import Reader
from tests.test_access_posts import POSTS, Case, Elsewhere
from tests.writes import WriteWatch

LONG = "儿童议事会的长句子" * 1111 + "长"  # 10,000 characters
DATES = ("", "2026-02-30", "0001-01-01", "9999-12-31", "abc")
DATETIMES = ("", "2026-02-30T10:00", "0001-01-01T00:00", "9999-12-31T23:59", "abc")
NUMBERS = ("-1", "1e309", "abc", "99999999999999999999")
FILES = ("empty", "text", "big", "huge")
TYPED = {"text", "password", "date", "datetime", "number", "file"}  # what a person types (or picks: a file)
KEPT = {"text", "date", "datetime", "number"}  # what a refused form shows again as typed (not passwords, files)
HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Allowed:
    """Who may use a route, and how to reach its form. Paths and data are formatted with the demo ids."""

    account: str | None  # None: a visitor
    label: str = ""  # names the entry when a route has more than one
    path: str | None = None  # instead of the case's path
    page: str | None = None  # the page that shows the form; the path when None
    form: str | None = None  # a field the form has, when the page has several forms posting to the path
    data: dict = field(default_factory=dict)  # over the case's data
    kinds: dict = field(default_factory=dict)  # field -> kind, for fields the page does not show or shows as text
    accepts: tuple[str, ...] = ()  # variants (fnmatch patterns) that may be accepted
    keeps: frozenset[str] = frozenset()  # tables a refused answer may still change
    prepare: Callable[[dict], dict] | None = None  # demo objects this entry needs: more ids
    script: bool = False  # called by a script, not a form: a refusal is a 4xx without a page
    case_data: bool = True  # start from the case's data in POSTS (False: it aims at another object)


def _voice_attachment(ids: dict) -> dict:
    """A voice note on the submitted idea, for the transcription form (the demo's ideas have none)."""
    from council.proposals.models import Attachment, Proposal
    from council.uploads import storage
    from council.uploads.audio import process_voice
    from tests.proposals.test_files import voice_webm

    proposal = db.session.get(Proposal, ids["submitted"])
    stored = storage.store_voice(process_voice(io.BytesIO(voice_webm(0.5))), proposal.authors[0])
    attachment = Attachment(file=stored)
    proposal.attachments.append(attachment)
    db.session.commit()
    return {"voice": attachment.id}


def _waiting_task(ids: dict) -> dict:
    """The education bureau's task not yet acknowledged (the demo's ``edu_task`` may be another of its tasks:
    demo_ids takes the first the database gives), whose page has the send-back and take-back forms."""
    from council.tasks.models import Task, TaskState

    return {"edu_task": db.session.scalar(select(Task.id).where(
        Task.unit_id == ids["edu_unit"], Task.state == TaskState.dispatched).order_by(Task.id))}


def _acknowledged_task(ids: dict) -> dict:
    """That task acknowledged, so that its answer, progress and extension forms are open."""
    from council.accounts.operations import find_account
    from council.tasks import operations as tasks
    from council.tasks.models import Task

    found = _waiting_task(ids)
    tasks.acknowledge(db.session.get(Task, found["edu_task"]), find_account("unit_edu"))
    db.session.commit()
    return found


def _returned_task(ids: dict) -> dict:
    """That task sent back by its unit (the lead, so the idea waits for the office), to be given to it again."""
    from council.accounts.operations import find_account
    from council.tasks import operations as tasks
    from council.tasks.models import Task

    found = _waiting_task(ids)
    tasks.send_back(db.session.get(Task, found["edu_task"]), find_account("unit_edu"), "不归我们管。")
    db.session.commit()
    return found


def _invitation(ids: dict) -> dict:
    """A guardian's online consent slip for kid01."""
    from council.accounts.operations import find_account
    from council.rosters import operations as rosters

    invitation = rosters.issue_invitation(find_account("kid01"), find_account("teacher"))
    db.session.commit()
    return {"invitation": rosters.invitation_code(invitation)}


def _public_idea(ids: dict) -> dict:
    """The submitted idea published: a second public idea of the demo school, free to go on the agenda."""
    from council.accounts.operations import find_account
    from council.proposals import operations as ideas
    from council.proposals.models import Proposal

    ideas.publish(db.session.get(Proposal, ids["submitted"]), find_account("facilitator"))
    db.session.commit()
    return {}


def _welcome_link(ids: dict) -> dict:
    """A set-password link for the demo teacher, as the office gives it."""
    from council.accounts import welcome
    from council.accounts.operations import find_account

    url = welcome.issue_link(find_account("teacher"), actor=find_account("coordinator"))
    db.session.commit()
    return {"welcome_token": url.rsplit("/", 1)[1]}


def _kids_class(ids: dict) -> dict:
    from council.rosters.models import ClassGroup

    return {"class_code": db.session.get(ClassGroup, ids["class_id"]).code}


def _second_plan_version() -> dict:
    """The seed's official text applied as version 2, so that version 1's tasks have a mapping page."""
    from importlib import resources

    from council.plan.files import read_plan
    from council.plan.operations import apply_document

    data = resources.files("council.data").joinpath("zhoucun-2023-8.txt").read_bytes()
    apply_document(read_plan("zhoucun-2023-8.txt", data), actor=None)
    db.session.commit()
    return {}


STEP = "/ideas/{returned}/step/"
WIZARD = frozenset({"proposals"})  # the wizard saves a child's words on every step, refused or not
TASK = "/tasks/{edu_task}"
SESSION = "/sessions/{voting_session}"
BUTTON = "a button: no field a person fills in"

ALLOWED: dict[str, Allowed | tuple[Allowed, ...] | Elsewhere] = {
    # --- accounts and notifications ---
    "/login": Allowed(None, data={"username": "facilitator", "password": DEMO_PASSWORD},
                      keeps=frozenset({"events"})),  # a failed sign-in is on the record
    "/logout": Elsewhere("a button: ends the caller's own session, no field"),
    "/notifications/read": Elsewhere("a button: marks the caller's own messages read, no field"),
    "/welcome/<token>": Allowed(None, path="/welcome/{welcome_token}", prepare=_welcome_link,
                                data={"password": "一句只有我记得的话", "again": "一句只有我记得的话"}),
    "/accounts/<int:account_id>/welcome-link": Elsewhere(BUTTON),
    "/notifications/mail": Allowed("facilitator", accepts=("empty",)),  # a kind left out keeps its earlier choice
    "/plan/preview": Allowed("coordinator"),  # only reads: a file that is no plan is refused beside the field
    "/plan/apply": Elsewhere("its form appears only once a file is read (a POST); refused titles, dates and "
                             "documents: tests/plan/test_plan_versions.py"),
    "/plan/versions/<int:version>/mapping": Allowed(  # every task left to "none" is a mapping too
        "coordinator", prepare=lambda ids: _second_plan_version(), accepts=("empty",)),
    # the office's setup files: each of the three is optional as long as one is given (here the councils')
    "/setup": Allowed("coordinator", accepts=("file:units=empty", "file:adults=empty")),
    "/setup/imports/<token>": Elsewhere(BUTTON),
    "/setup/imports/<token>/links": Elsewhere(BUTTON),
    "/children/<int:child_id>/consent": Allowed("teacher"),
    # --- ideas ---
    "/ideas/new": Allowed("child"),
    "/ideas/new/for-children": Allowed("teacher", data={"council": "{school}"}),
    "/ideas/<int:proposal_id>/step/<int:no>": tuple(  # step 4, "who would it help", may stay empty
        Allowed("member", f"step {no}", path=STEP + str(no), keeps=WIZARD, case_data=no == 1,
                accepts=("empty",) if no == 4 else ()) for no in (1, 2, 3, 4, 6)),
    "/ideas/<int:proposal_id>/autosave": Allowed(  # keeps whatever is typed (too long: cut at twice the limit)
        "child", page="/ideas/{draft}/step/1", kinds=dict.fromkeys(("title", "problem", "place", "idea", "who_helps"),
                                                                   "text"), accepts=("*",), script=True),
    "/ideas/<int:proposal_id>/attachments": Allowed("child", page="/ideas/{draft}/step/5"),
    "/ideas/<int:proposal_id>/attachments/<int:attachment_id>/delete": Elsewhere(BUTTON),
    "/ideas/<int:proposal_id>/attachments/<int:attachment_id>/transcription": Allowed(
        "facilitator", path="/ideas/{submitted}/attachments/{voice}/transcription", page="/moderation/{submitted}",
        prepare=_voice_attachment, accepts=("empty",)),  # an empty transcription clears it
    "/ideas/<int:proposal_id>/submit": Elsewhere(BUTTON),
    # Buttons whose hidden value, left empty, is the plain action: withdraw, decline the suggestion, support.
    "/ideas/<int:proposal_id>/withdraw": Allowed("member", page="/ideas/{submitted}", accepts=("empty",)),
    "/ideas/<int:proposal_id>/suggestions/<int:edit_id>": Allowed("member", page=STEP + "7", accepts=("empty",)),
    "/ideas/<int:proposal_id>/support": Allowed("member", path="/ideas/{public}/support", page="/ideas/{public}",
                                                accepts=("empty",)),
    # --- screening ---
    "/moderation/<int:proposal_id>/publish": Allowed("facilitator", page="/moderation/{submitted}",
                                                     accepts=("empty",)),  # emptied boxes keep the child's words
    "/moderation/<int:proposal_id>/return": Allowed("facilitator", page="/moderation/{submitted}"),
    "/moderation/<int:proposal_id>/reject": Allowed(  # the number of the idea it repeats counts for "duplicate" only
        "facilitator", page="/moderation/{submitted}", accepts=("number:duplicate_of=-1",)),
    "/moderation/words": Allowed("coordinator"),
    "/moderation/words/<int:word_id>/delete": Elsewhere(BUTTON),
    # --- councils and sessions ---
    "/councils/<int:council_id>/members": Allowed("facilitator", data={"child": "{child}"},
                                                  accepts=("date:ends_on=",)),  # the end of a term may be unknown
    "/councils/<int:council_id>/members/<int:membership_id>/end": Allowed(
        "facilitator", page="/councils/{school}/members", data={"end-{membership}-ends_on": "2026-12-01"},
        case_data=False),
    "/councils/<int:council_id>/rules": Allowed("facilitator", page="/councils/{school}/sessions"),
    "/councils/<int:council_id>/sessions/new": Allowed("facilitator"),
    "/sessions/<int:session_id>/<action>": (
        Allowed("facilitator", "minutes", path=SESSION + "/minutes", page=SESSION + "/manage",
                accepts=("empty", "long:minutes")),  # minutes may be empty, or 20,000 characters
        # Buttons: attendance with nobody ticked, a show of hands with no hand recorded, are what they say.
        Allowed("facilitator", "files", path=SESSION + "/files", page=SESSION + "/manage", case_data=False),
        Allowed("facilitator", "attendance", path=SESSION + "/attendance", page=SESSION + "/manage",
                accepts=("empty",), case_data=False),
        Allowed("facilitator", "close", page=SESSION + "/manage"),  # refused: a vote is still open
    ),
    "/sessions/<int:session_id>/agenda": Allowed("facilitator", page=SESSION + "/manage", prepare=_public_idea),
    "/sessions/<int:session_id>/elections": Allowed("facilitator", page=SESSION + "/manage"),
    "/sessions/<int:session_id>/items/<int:item_id>/<action>": (
        Allowed("facilitator", "close", page=SESSION + "/manage"),
        Allowed("facilitator", "hands", path=SESSION + "/items/{voting_item}/hands", page=SESSION + "/manage",
                accepts=("empty",)),
    ),
    "/sessions/<int:session_id>/items/<int:item_id>/ballot": Allowed("member", page=SESSION + "/vote"),
    "/sessions/<int:session_id>/feedback": Allowed("member"),
    "/ideas/<int:proposal_id>/forward": Elsewhere(BUTTON),
    # --- units ---
    "/ideas/<int:proposal_id>/route": Allowed("coordinator"),
    "/tasks/<int:task_id>/<action>": (
        Allowed("unit_edu", "reply", page=TASK, prepare=_acknowledged_task, accepts=("file:photo=empty",)),  # optional
        Allowed("unit_edu", "extension", path=TASK + "/extension", page=TASK, prepare=_acknowledged_task,
                data={"until": "2031-01-01", "reason": "需要等年度预算。"}, case_data=False),
        Allowed("unit_edu", "progress", path=TASK + "/progress", page=TASK, prepare=_acknowledged_task,
                data={"text": "已经派人到现场查看。"}, case_data=False),
        Allowed("unit_edu", "return", path=TASK + "/return", page=TASK, data={"reason": "不归我们管。"},
                prepare=_waiting_task, case_data=False),
        Allowed("coordinator", "withdraw", path=TASK + "/withdraw", page=TASK, data={"reason": "收回。"},
                prepare=_waiting_task, case_data=False),
        Allowed("coordinator", "redispatch", path=TASK + "/redispatch", page=TASK, prepare=_returned_task,
                data={"note": "这是学校里的路灯，请教育局牵头。"}, case_data=False),
    ),
    "/ideas/<int:proposal_id>/rate": Allowed("child", page="/ideas/{answered}"),
    "/units/<int:unit_id>/tokens": Allowed("coordinator"),
    "/units/manage": Allowed("coordinator", data={"name_en": "Agriculture Bureau", "group": "", "council": ""}),
    "/units/<int:unit_id>/switch": Elsewhere(BUTTON),
    "/units/<int:unit_id>/tokens/<int:token_id>/revoke": Elsewhere(BUTTON),
    "/coordinator/calendar": Allowed("coordinator", data={"kind": "day_off"}),
    "/coordinator/calendar/<int:day_id>/delete": Elsewhere(BUTTON),
    "/coordinator/calendar/years/<int:year>/complete": Elsewhere(BUTTON),
    "/api/v1/unit/requests/<int:task_id>/acknowledge": Elsewhere("token only, JSON: tests/tasks/test_unit_api.py"),
    "/api/v1/unit/requests/<int:task_id>/progress": Elsewhere("token only, JSON: tests/tasks/test_unit_api.py"),
    "/api/v1/unit/requests/<int:task_id>/reply": Elsewhere("token only, JSON: tests/tasks/test_unit_api.py"),
    "/api/v1/unit/requests/<int:task_id>/return": Elsewhere("token only, JSON: tests/tasks/test_unit_api.py"),
    # --- help and reporting ---
    "/help": Allowed("child", data={"kind": "adult"}),
    "/help-requests/<int:request_id>/seen": Elsewhere(BUTTON),
    "/help-requests/<int:request_id>/close": Allowed("facilitator", page="/help-requests/{help_request}"),
    "/flags/<target_type>/<int:target_id>": Allowed("teen", path="/flags/proposal/{public}"),
    "/flags/<target_type>/<int:target_id>/keep": Allowed("facilitator", page="/flags", accepts=("empty",)),  # button
    "/flags/<target_type>/<int:target_id>/remove": Allowed("facilitator", page="/flags"),
    # --- class rosters ---
    "/account/password": Allowed("facilitator", data={"current": DEMO_PASSWORD, "new": "一句只有我记得的话",
                                                      "again": "一句只有我记得的话"}),
    "/classes": Allowed("teacher"),
    "/classes/<int:class_id>/children/<int:sign_in_id>/<action>": Elsewhere(BUTTON),
    "/classes/<int:class_id>/import": Allowed("teacher", page="/classes/{class_id}"),
    "/classes/<int:class_id>/imports/<token>": Elsewhere(BUTTON),
    "/classes/<int:class_id>/reset": Elsewhere(BUTTON),
    "/guardian/consent": Allowed(None, data={"code": "{invitation}"}, prepare=_invitation),
    "/guardian/consent/<token>": Allowed(None, path="/guardian/consent/{invitation}", prepare=_invitation,
                                         data={"guardian_name": "王爸爸", "relation": "父亲", "decision": "granted"}),
    "/kids": Allowed(None, data={"code": "{class_code}"}, prepare=_kids_class),
    "/kids/<code>/<int:sign_in_id>": Allowed(None, path="/kids/{class_code}/{kid01_sign_in}", prepare=_kids_class,
                                             data={"p1": "1", "p2": "2", "p3": "3"}),
    # --- guardians' data requests ---
    "/children/<int:child_id>/data-requests/new": Allowed("teacher"),
    "/privacy/requests/<int:request_id>/carry-out": Allowed("teacher", page="/privacy/requests/{deletion_request}"),
    "/privacy/requests/<int:request_id>/refuse": Allowed("teacher", page="/privacy/requests/{deletion_request}"),
    # --- campaigns ---
    "/campaigns/new": Allowed("facilitator"),
    "/campaigns/<int:campaign_id>/edit": Allowed("facilitator"),
    "/campaigns/<int:campaign_id>/enter": Allowed("teacher"),
    "/campaigns/<int:campaign_id>/jury/<code>": Allowed("facilitator", page="/campaigns/{judging}/jury"),
    "/campaigns/<int:campaign_id>/phase": Allowed("facilitator", page="/campaigns/{drawing}/phase"),
    "/campaigns/entries/<int:entry_id>/consent": Allowed("teacher", page="/campaigns/entries/{waiting_entry}"),
    "/campaigns/entries/<int:entry_id>/edit": Allowed("kid01", accepts=("file:picture=empty",)),  # keeps the old one
    "/campaigns/entries/<int:entry_id>/review": Allowed(  # the decline form; with no action the entry is approved
        "facilitator", page="/campaigns/{drawing}/review", form="reason", case_data=False, accepts=("empty",),
        data={"action": "reject", "reason": "不合适。"}),
    "/campaigns/entries/<int:entry_id>/vote": Allowed("kid02", page="/campaigns/entries/{voting_entry}",
                                                      accepts=("empty",)),  # button: no action is a vote
    # --- indicators ---
    "/indicators/reports/<int:report_id>/<action>": Allowed(
        "coordinator", "return", path="/indicators/reports/{waiting_report}/return", page="/coordinator/indicators"),
    "/plan/indicators/<int:indicator_id>/reports": Allowed("unit_edu", page="/plan/indicators/{edu_indicator}",
                                                           accepts=("file:evidence=empty",)),  # optional
}


def test_every_post_route_has_an_allowed_entry(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert routes - set(ALLOWED) == set(), "add these POST routes to ALLOWED in tests/test_forms.py"
    assert set(ALLOWED) - routes == set(), "these entries name routes that no longer exist"
    assert set(ALLOWED) == set(POSTS)


# --- a small DOM, enough to read forms and errors ------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent: Element | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(Reader):
    def __init__(self):
        self.root = self.current = Element("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.read(html)
    return builder.root


@dataclass
class Field:
    name: str
    kind: str  # text, password, date, datetime, number, file, choice, hidden
    label: str
    value: str | None  # what the browser sends unchanged; None: nothing


INPUT_KINDS = {"text": "text", "search": "text", "email": "text", "url": "text", "tel": "text", "password": "password",
               "date": "date", "datetime-local": "datetime", "number": "number", "file": "file", "hidden": "hidden",
               "checkbox": "choice", "radio": "choice"}


def _label(root: Element, element: Element) -> str:
    element_id = element.attrs.get("id")
    if element_id:
        for label in root.iter():
            if label.tag == "label" and label.attrs.get("for") == element_id:
                return " ".join(label.text().split())
    for ancestor in element.ancestors():
        if ancestor.tag == "label":
            return " ".join(ancestor.text().split())
        if ancestor.tag == "fieldset":
            legend = next((c for c in ancestor.children if isinstance(c, Element) and c.tag == "legend"), None)
            return " ".join(legend.text().split()) if legend else ""
    return ""


def _same_path(action: str, path: str) -> bool:
    return urlsplit(action).path.rstrip("/") == urlsplit(path).path.rstrip("/")


def find_form(root: Element, path: str, page: str, has: str | None = None) -> Element | None:
    """The first form on the page that posts to ``path`` (and has a field named ``has``)."""
    for form in root.iter():
        if form.tag == "form" and form.attrs.get("method", "get").lower() == "post":
            action = form.attrs.get("action") or page
            if _same_path(action, path) and (has is None or field_element(form, has) is not None):
                return form
    return None


def fields_of(root: Element, form: Element) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for element in form.iter():
        name = element.attrs.get("name")
        if not name or name == "csrf_token" or element.tag not in ("input", "textarea", "select"):
            continue
        if element.tag == "input":
            kind = INPUT_KINDS.get(element.attrs.get("type", "text").lower())
            if kind is None:  # submit, button, image, reset
                continue
            if element.attrs.get("type", "").lower() in ("checkbox", "radio"):
                value = element.attrs.get("value", "on") if "checked" in element.attrs else None
            else:
                value = None if kind == "file" else element.attrs.get("value", "")
        elif element.tag == "textarea":
            kind, value = "text", element.text().removeprefix("\r\n").removeprefix("\n")
        else:
            kind = "choice"
            options = [o for o in element.iter() if o.tag == "option"]
            chosen = next((o for o in options if "selected" in o.attrs), options[0] if options else None)
            value = None if chosen is None else chosen.attrs.get("value", chosen.text())
        if name in found:  # radios and checkboxes: one name, several inputs
            if found[name].value is None and value is not None:
                found[name].value = value
            continue
        found[name] = Field(name, kind, _label(root, element), value)
    return found


def errors_in(root: Element) -> list[str]:
    """The error messages a page shows: beside fields, at the top of a form, flashed, or the error page's."""
    texts = []
    for element in root.iter():
        if element.classes & {"field-error", "flash-error"} or (
                element.tag in ("p", "h1") and any("error-page" in a.classes for a in element.ancestors())):
            text = " ".join(element.text().split())
            if text:
                texts.append(text)
    return texts


def field_element(form: Element, name: str) -> Element | None:
    return next((e for e in form.iter() if e.tag in ("input", "textarea", "select") and e.attrs.get("name") == name),
                None)


def names_field(root: Element, form: Element, item: Field) -> bool:
    """The refused form says what is wrong with this field: in its box, beside its label, or by its label."""
    element = field_element(form, item.name)
    if element is not None:
        for box in element.ancestors():
            if box is form:
                break
            if "has-error" in box.classes and any("field-error" in e.classes for e in box.iter()):
                return True
    label = re.split(r"[(（:：?？]", item.label)[0].strip().lower()  # "Value (unit: %)" names the value
    return bool(label) and any(label in text.lower() for text in errors_in(root))


def value_of(form: Element, name: str) -> str | None:
    element = field_element(form, name)
    if element is None:
        return None
    if element.tag == "textarea":
        return element.text().removeprefix("\r\n").removeprefix("\n")
    return element.attrs.get("value", "")


# --- the matrix ------------------------------------------------------------------------------------------------

def _entries():
    for rule, allowed in ALLOWED.items():
        if isinstance(allowed, Elsewhere):
            continue
        for entry in allowed if isinstance(allowed, tuple) else (allowed,):
            yield pytest.param(rule, entry, id=f"{rule} {entry.label}".strip())


def _tables() -> dict[str, str]:
    """Every row of every table, hashed per table: which tables a request changed. Left out: the audit log's
    records that an adult saw a child's data, which showing a form again about a child rightly adds. On
    PostgreSQL the server hashes each table's rows (as text, in key order) in one statement for all tables."""
    import hashlib

    tables = []
    for table in db.metadata.sorted_tables:
        order = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
        views = " WHERE action != 'child_data_viewed'" if table.name == "events" else ""
        tables.append((table.name, order, views))
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return dict(connection.exec_driver_sql(" UNION ALL ".join(
                f"SELECT '{name}', md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {order}), '')) "
                f'FROM "{name}" t{views}' for name, order, views in tables)).all())
        hashes = {}
        for name, order, views in tables:
            # The driver's own rows, as stored: quicker than through the columns' types, and as exact.
            rows = connection.exec_driver_sql(f'SELECT * FROM "{name}"{views} ORDER BY {order}').fetchall()
            hashes[name] = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
    return hashes


def _changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def _fmt(value, ids):
    return value.format(**ids) if isinstance(value, str) else value


@dataclass
class Variant:
    name: str
    field: Field | None
    data: dict


def _file(kind: str, config) -> tuple[bytes, str] | None:
    if kind == "empty":
        return b"", ""
    if kind == "text":
        return b"just some words, not a picture\n", "photo.png"
    if kind == "big":
        return b"\x89PNG\r\n\x1a\n" + b"\0" * config["IMAGE_MAX_BYTES"], "big.png"
    return b"\x89PNG\r\n\x1a\n" + b"\0" * config["MAX_CONTENT_LENGTH"], "huge.png"


def variants(fields: dict[str, Field], base: dict, config) -> list[Variant]:
    found = [Variant("empty", None, {name: ((b"", "") if fields.get(name) and fields[name].kind == "file" else "")
                                     for name in base})]
    for item in fields.values():
        if item.kind in ("text", "password"):
            found.append(Variant(f"long:{item.name}", item, base | {item.name: LONG}))
        elif item.kind in ("date", "datetime"):
            for value in DATES if item.kind == "date" else DATETIMES:
                found.append(Variant(f"date:{item.name}={value}", item, base | {item.name: value}))
        elif item.kind == "number":
            for value in NUMBERS:
                found.append(Variant(f"number:{item.name}={value}", item, base | {item.name: value}))
        elif item.kind == "file":
            for kind in FILES:
                found.append(Variant(f"file:{item.name}={kind}", item, base | {item.name: _file(kind, config)}))
    return found


def _post(client, path: str, data: dict, **kwargs):
    """As a browser posts: a form with a file goes as multipart/form-data (encoded here in memory: the test
    client's own encoder spools big files to a temporary file it never closes)."""
    if not any(isinstance(value, tuple) for value in data.values()):
        return client.post(path, data=data, **kwargs)
    boundary, body = encode_multipart({
        key: FileStorage(io.BytesIO(value[0]), filename=value[1]) if isinstance(value, tuple) else value
        for key, value in data.items()})
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}", **kwargs)


@dataclass
class Answer:
    status: int
    root: Element  # the page answered, or the one a redirect leads to
    accepted: bool  # a redirect to a page without an error, 204, or a page without an error
    redirected: bool


def send(client, path: str, data: dict) -> Answer:
    response = _post(client, path, data)
    status = response.status_code
    if status in (301, 302, 303):
        root = parse(client.get(response.headers["Location"]).get_data(as_text=True))
        return Answer(status, root, not any("flash-error" in e.classes for e in root.iter()), True)
    root = parse(response.get_data(as_text=True))
    return Answer(status, root, status == 204 or (status == 200 and not errors_in(root)), False)


QUOTED = re.compile(r'“[^”]*”|"[^"]*"')  # names quoted in a message stay as they are written


def _language_ok(texts: list[str], english: bool) -> bool:
    """Chinese: every message has Chinese in it. English: no message has, but in what it quotes."""
    if not texts:
        return False
    if english:
        return not any(HAN.search(QUOTED.sub("", text)) for text in texts)
    return all(HAN.search(text) for text in texts)


def check(answer: Answer, variant: Variant, entry: Allowed, path: str, fields: dict[str, Field], typed: bool,
          english: bool, config) -> list[str]:
    """What is wrong with one answer (empty: nothing)."""
    problems = []
    where = f"{variant.name}{' (en)' if english else ''}: {answer.status}"
    if answer.status >= 500:
        return [f"{where}: a server error"]
    if variant.name.endswith("=huge"):
        limit = config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        page = " ".join(answer.root.text().split())
        if answer.status != 413:
            problems.append(f"{where}: not 413")
        elif f"{limit} MB" not in page and f"{limit}MB" not in page:
            problems.append(f"{where}: the 413 page does not say the limit ({limit} MB)")
        elif not _language_ok(errors_in(answer.root), english):
            problems.append(f"{where}: the 413 page is not in the reader's language: {errors_in(answer.root)}")
        elif not any(e.tag == "a" and "data-back" in e.attrs for e in answer.root.iter()):
            problems.append(f"{where}: the 413 page has no way back to the form")
        return problems
    if answer.accepted:
        return []  # whether it may be accepted is the caller's business
    errors = errors_in(answer.root)
    if not _language_ok(errors, english):
        problems.append(f"{where}: the error is not in the reader's language: {errors}")
    if entry.script:
        if not 400 <= answer.status < 500:
            problems.append(f"{where}: a refusal should be a 4xx")
        return problems
    if answer.status in (403, 404):
        return problems + [f"{where}: the allowed account was turned away: {errors}"]
    if not typed:
        return problems
    form = find_form(answer.root, path, path, entry.form)
    if answer.redirected or answer.status not in (200, 400) or form is None:
        return problems + [f"{where}: the form is not shown again: {errors}"]
    item = variant.field
    targets = [item] if item is not None else list(fields.values())
    if not any(names_field(answer.root, form, f) for f in targets):
        problems.append(f"{where}: no error names the field{'' if item is None else ' ' + item.label!r}: {errors}")
    typed_value = variant.data[item.name] if item is not None and item.kind in KEPT else ""
    if typed_value and value_of(form, item.name) != typed_value:
        problems.append(f"{where}: what was typed is not kept ({value_of(form, item.name)!r:.40})")
    return problems


@pytest.mark.parametrize(("rule", "entry"), list(_entries()))
def test_forms_refuse_with_the_form_again_and_change_nothing(client, auth, demo, demo_targets, app, rule, entry):
    case = POSTS[rule]
    ids = demo_targets
    if entry.prepare is not None:
        ids |= entry.prepare(ids)
    path = _fmt(entry.path or (case.path if isinstance(case, Case) else rule), ids)
    page = _fmt(entry.page, ids) if entry.page else path
    if entry.account is not None:
        assert auth.login(entry.account, DEMO_PASSWORD).status_code == 302
    shown = client.get(page)
    assert shown.status_code == 200, f"{page}: {shown.status_code}"
    root = parse(shown.get_data(as_text=True))
    form = find_form(root, path, page, entry.form)
    assert form is not None or entry.script, f"no form on {page} posts to {path}"
    fields = fields_of(root, form) if form is not None else {}
    for name, kind in entry.kinds.items():
        fields[name] = Field(name, kind, fields[name].label if name in fields else "", None)
    base = {name: f.value for name, f in fields.items() if f.value is not None}  # what the browser would send
    if isinstance(case, Case) and entry.case_data:
        base |= {_fmt(k, ids): _fmt(v, ids) for k, v in case.data.items()}
    base |= {_fmt(k, ids): _fmt(v, ids) for k, v in entry.data.items()}

    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer to check, with the error behind it
    crashes: list[str] = []

    def crashed(sender, exception, **extra):
        crashes.append(f"{type(exception).__name__}: {exception}"[:300])

    with got_request_exception.connected_to(crashed, app):
        failures = _variants_answered(client, entry, path, fields, base, app.config, crashes)
    assert failures == [], "\n".join(failures)


def _variants_answered(client, entry: Allowed, path: str, fields: dict[str, Field], base: dict, config,
                       crashes: list[str]) -> list[str]:
    """Send every variant (those the entry may accept last) and list what is wrong with the answers."""
    typed = any(f.kind in TYPED for f in fields.values())

    def may_accept(name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in entry.accepts)

    failures, accepted, english = [], set(), False
    before = _tables()
    for variant in sorted(variants(fields, base, config), key=lambda v: may_accept(v.name)):
        with WriteWatch(db.engine) as watch:
            answer = send(client, path, variant.data)
        after = _tables() if watch.wrote else before  # no write statement sent: no row can have changed
        changed = _changed(before, after)
        problems = check(answer, variant, entry, path, fields, typed, False, config)
        problems += [f"{variant.name}: {crash}" for crash in crashes]
        crashes.clear()
        if answer.status < 500 and answer.accepted and not variant.name.endswith("=huge"):
            accepted.add(variant.name)
            if not may_accept(variant.name):
                problems.append(f"{variant.name}: {answer.status}: accepted (changed {sorted(changed)})")
        elif changed - entry.keeps:
            problems.append(f"{variant.name}: {answer.status}: refused, but changed {sorted(changed - entry.keeps)}")
        elif not english and not problems:  # the first refusal once more, read in English
            english = True
            client.set_cookie("lang", "en")
            with WriteWatch(db.engine) as watch:
                answer = send(client, path, variant.data)
            client.delete_cookie("lang")
            problems += check(answer, variant, entry, path, fields, typed, True, config)
            problems += [f"{variant.name} (en): {crash}" for crash in crashes]
            crashes.clear()
            before, after = after, (_tables() if watch.wrote else after)
            if _changed(before, after) - entry.keeps:
                problems.append(f"{variant.name} (en): refused, but changed {sorted(_changed(before, after))}")
        if os.environ.get("FORMS_DEBUG"):  # FORMS_DEBUG=1 pytest -s tests/test_forms.py: every answer
            print(path, variant.name[:40], answer.status, "accepted" if answer.accepted else "refused",
                  sorted(changed), errors_in(answer.root)[:2])
        failures += problems
        before = after
    return failures + [f"accepts {pattern!r}, but no such variant was accepted" for pattern in entry.accepts
                       if not any(fnmatch.fnmatchcase(name, pattern) for name in accepted)]


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_a_form_too_big_to_send_says_how_big_it_may_be_and_goes_back_to_the_form(client, auth, demo, demo_targets, app,
                                                                                   language):
    """Over MAX_CONTENT_LENGTH the form is refused (413) before it is read, so it cannot be shown again: the page
    says, in the reader's language, that the file is too big and how many MB a form may send, and its link goes
    back in the browser's history (js/back.js; the link's address, the form's page, without script), where the
    words typed are still in the form."""
    ids = demo_targets
    app.config["MAX_CONTENT_LENGTH"] = 3 * 1024 * 1024 // 2  # 1.5 MB: the page reads the setting
    auth.login("child", DEMO_PASSWORD)
    client.set_cookie("lang", language)
    form_page = f"http://localhost/ideas/{ids['draft']}/step/5"
    before = _tables()
    response = _post(client, f"/ideas/{ids['draft']}/attachments", {
        "description": "我的画", "picture": (b"\x89PNG" + b"\0" * 2 * 1024 * 1024, "big.png")},
        headers={"Referer": form_page})
    assert response.status_code == 413
    root = parse(response.get_data(as_text=True))
    page = " ".join(root.text().split())
    assert ("1.5 MB" in page) and (("文件太大" in page) if language != "en" else ("too big" in page))
    assert _language_ok(errors_in(root), english=language == "en")
    back = next(e for e in root.iter() if e.tag == "a" and "data-back" in e.attrs)
    assert back.attrs["href"] == form_page
    address = next(e.attrs["src"] for e in root.iter() if e.tag == "script" and "/js/back.js" in e.attrs.get("src", ""))
    assert _tables() == before
    with client.get(address) as script:  # a served file is open until the response is closed
        assert "history.back()" in script.get_data(as_text=True)


def test_the_audit_filters_ignore_days_and_numbers_no_one_means(client, auth, demo):
    """The audit viewer's filter form (GET): a day that does not exist or that no log holds (the year 1: its
    local midnight cannot even be counted), an id too big for any column: no filter, never a 500."""
    auth.login("coordinator", DEMO_PASSWORD)
    for query in ("date_from=0001-01-01", "date_to=9999-12-31", "date_from=2026-02-30", "date_to=abc",
                  "subject_id=99999999999999999999", "council=99999999999999999999"):
        assert client.get(f"/audit?{query}").status_code == 200, query


def test_a_buttons_token_is_checked_in_one_place():
    """``council.forms.checked_form`` is the one home of a button form's check (its token) and of the refusal's
    words; a view calls it. The children's picture sign-in alone checks its own form, to ask in a child's words
    ("tap your pictures again")."""
    from pathlib import Path

    import council

    package = Path(council.__file__).parent
    checks = {str(path.relative_to(package)): path.read_text(encoding="utf-8").count("EmptyForm().validate_on_submit()")
              for path in package.rglob("*.py")}
    assert {name: count for name, count in checks.items() if count} == {"forms.py": 1, "rosters/views.py": 1}
    assert "Please tap your pictures again." in (package / "rosters/views.py").read_text(encoding="utf-8")
