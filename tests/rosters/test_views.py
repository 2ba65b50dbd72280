import io

import pytest
from sqlalchemy import func, select

from council.accounts.models import Account, ConsentMethod
from council.audit.models import Event
from council.extensions import db
from council.rosters import operations
from council.rosters.models import ChildSignIn, RosterImport
from tests.conftest import PASSWORD
from tests.rosters.conftest import GOOD_CSV, YEAR


@pytest.fixture(autouse=True)
def in_english(client):
    """The assertions read the English source sentences."""
    client.set_cookie("lang", "en")


def upload(client, school, text=GOOD_CSV, name="class.csv"):
    return client.post(f"/classes/{school.group.id}/import",
                       data={"roster": (io.BytesIO(text.encode("gb18030")), name)},
                       content_type="multipart/form-data")


def children_count():
    return db.session.scalar(select(func.count(Account.id)).where(Account.kind == "child"))


def test_teacher_makes_a_class_uploads_previews_and_imports_once(client, auth, school):
    auth.login("teacher1")
    response = client.post("/classes", data={"council": school.school.id, "name": "四年级一班", "school": ""})
    assert response.status_code == 302
    response = upload(client, school)
    assert response.status_code == 302 and "/imports/" in response.headers["Location"]
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "王小明" in page and "李晓雨" in page and "Ready" in page
    assert children_count() == 0  # nothing before the teacher says yes
    first = client.post(response.headers["Location"])
    assert first.status_code == 302 and children_count() == 3
    again = client.post(response.headers["Location"], follow_redirects=True)
    assert "imported already" in again.get_data(as_text=True) and children_count() == 3


def test_a_preview_with_problems_shows_them_and_imports_nothing(client, auth, school):
    auth.login("teacher1")
    location = upload(client, school, f"姓名,昵称,出生年份\n,小云朵,{YEAR - 8}\n王五,13812345678,{YEAR - 8}\n"
                      ).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "The real name is missing." in page and "phone number" in page
    refused = client.post(location)
    assert refused.status_code == 400 and "nothing was added" in refused.get_data(as_text=True)
    assert children_count() == 0


def test_an_unreadable_file_gets_a_clear_message_on_the_class_page(client, auth, school):
    auth.login("teacher1")
    response = upload(client, school, "名字\n王小明\n")
    assert response.status_code == 400 and "The first row must name the columns" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(RosterImport.id))) == 0


def test_others_cannot_open_a_class_or_its_preview(client, auth, school):
    pending = operations.preview_import(school.group, school.teacher, "a.csv", GOOD_CSV.encode())
    db.session.commit()
    auth.login("teacher2")
    assert client.get(f"/classes/{school.group.id}").status_code == 404  # as if there were no such class
    assert client.get(f"/classes/{school.group.id}/imports/{pending.token}").status_code == 404
    assert client.post(f"/classes/{school.group.id}/imports/{pending.token}").status_code == 404
    assert children_count() == 0
    auth.logout()
    auth.login("fac1")  # the street's facilitator reaches the school below
    assert client.get(f"/classes/{school.group.id}/imports/{pending.token}").status_code == 200
    assert client.get(f"/classes/{school.group.id}/imports/not-a-token").status_code == 404


def test_class_page_and_cards_are_recorded_per_child(client, auth, school):
    children = school.imported()
    auth.login("teacher1")
    page = client.get(f"/classes/{school.group.id}").get_data(as_text=True)
    assert "王小明" in page and school.group.code in page
    cards = client.get(f"/classes/{school.group.id}/cards").get_data(as_text=True)
    assert cards.count("sign-in-card guardian-slip") == 2  # the two under 14 without consent
    assert "/guardian/consent" in cards and "/kids" in cards
    views = db.session.scalars(select(Event).where(Event.action == "child_data_viewed")).all()
    assert {(e.subject_id, e.data["view"]) for e in views} >= {(c.id, v) for c in children
                                                             for v in ("class_roster", "sign_in_cards")}


def test_pages_of_childrens_details_read_a_class_at_once(client, auth, school):
    """The teacher's pages that show (and record the viewing of) children's private details run as many statements
    for a class of 13 as for a class of 3: nothing is read again per child, nor written per child."""
    from tests.test_planner import statements

    def counts():
        counted = {}
        for username, paths in {"teacher1": [f"/classes/{school.group.id}", f"/classes/{school.group.id}/cards",
                                             "/teacher"],
                                "fac1": [f"/councils/{school.street.id}/members", "/teacher"]}.items():
            auth.login(username)
            for path in paths:
                client.get(path)  # the first print of a class's cards makes each guardian's slip; count a reprint
                with statements(db.engine) as seen:
                    assert client.get(path).status_code == 200, path
                counted[username, path] = len(seen)
            auth.logout()
        return counted

    school.imported()
    three = counts()
    more = "姓名,昵称,出生年份,性别\n" + "".join(f"孩子{i},小{i},{YEAR - 9},女\n" for i in range(10))
    school.imported(more.encode())
    assert counts() == three
    seen = db.session.scalars(select(Event).where(Event.action == "child_data_viewed",
                                                  Event.data["view"].as_string() == "class_roster")).all()
    assert len({e.subject_id for e in seen}) == 13  # and each child's viewing is still written down


def test_teacher_unlocks_a_child_and_issues_a_new_code(client, auth, school):
    child = school.imported()[0]
    sign_in = db.session.scalar(select(ChildSignIn).where(ChildSignIn.account_id == child.id))
    sign_in.failed_count, sign_in.locked_at = 5, operations.clock.now()
    db.session.commit()
    auth.login("teacher1")
    assert "Locked" in client.get(f"/classes/{school.group.id}").get_data(as_text=True)
    client.post(f"/classes/{school.group.id}/children/{sign_in.id}/reset")
    db.session.refresh(sign_in)
    assert sign_in.locked_at is None and sign_in.failed_count == 0
    old = sign_in.code_check
    response = client.post(f"/classes/{school.group.id}/children/{sign_in.id}/code")
    db.session.refresh(sign_in)
    assert response.status_code == 302 and sign_in.code_check != old
    auth.logout()
    auth.login("teacher2")
    assert client.post(f"/classes/{school.group.id}/children/{sign_in.id}/code").status_code == 404


def tap(client, group, sign_in, code):
    return client.post(f"/kids/{group.code}/{sign_in.id}", data={f"p{n + 1}": p for n, p in enumerate(code)})


def test_a_child_signs_in_with_class_code_tile_and_pictures(client, school):
    child = school.imported()[0]
    sign_in = db.session.scalar(select(ChildSignIn).where(ChildSignIn.account_id == child.id))
    response = client.post("/kids", data={"code": school.group.code.lower(), "remember": "y"})
    assert response.status_code == 302 and f"kids_class={school.group.code}" in response.headers["Set-Cookie"]
    assert school.group.code in client.get("/kids").get_data(as_text=True)  # the tablet remembers the class
    tiles = client.get(f"/kids/{school.group.code}").get_data(as_text=True)
    assert child.display_name in tiles and "王小明" not in tiles
    wrong = tap(client, school.group, sign_in, [(p + 1) % 9 for p in operations.picture_code(sign_in)])
    assert wrong.status_code == 400 and "4 more tries" in wrong.get_data(as_text=True)
    right = tap(client, school.group, sign_in, operations.picture_code(sign_in))
    assert right.status_code == 302 and right.headers["Location"].endswith("/me")
    assert db.session.scalar(select(Event).where(Event.action == "signed_in", Event.subject_id == child.id))
    assert child.display_name in client.get("/me").get_data(as_text=True)


def test_a_wrong_class_code_and_a_tile_of_another_class_are_refused_kindly(client, school, make):
    school.imported()
    other = operations.create_class(school.stranger, school.other_school, "一班")
    db.session.commit()
    response = client.post("/kids", data={"code": "ZZZZZZ"})
    assert response.status_code == 400 and "could not find a class" in response.get_data(as_text=True)
    sign_in = db.session.scalar(select(ChildSignIn))
    assert client.get(f"/kids/{other.code}/{sign_in.id}").status_code == 404


def test_picture_sign_in_is_throttled_by_the_limiter(own_app, school):
    throttled = own_app(RATELIMIT_ENABLED=True, KIDS_CLASS_LIMIT="3 per minute")
    school.imported()
    sign_in = db.session.scalar(select(ChildSignIn))
    code = operations.picture_code(sign_in)
    client = throttled.test_client()
    statuses = [tap(client, school.group, sign_in, [(p + 1) % 9 for p in code]).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_a_guardian_answers_online_once(client, school):
    child = school.imported()[0]
    code = operations.slip_code(child, school.teacher)
    db.session.commit()
    assert client.post("/guardian/consent", data={"code": "nope"}).status_code == 400
    response = client.post("/guardian/consent", data={"code": operations.pretty_code(code)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What the guardian agrees to" in page and "王*明" in page and "王小明" not in page
    done = client.post(response.headers["Location"], data={"guardian_name": "王建国", "relation": "父亲",
                                                           "decision": "granted"})
    assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True)
    consent = child.child_profile.latest_consent
    assert consent.method is ConsentMethod.online and consent.guardian_name == "王建国"
    used = client.get(response.headers["Location"])
    assert used.status_code == 410 and "used already" in used.get_data(as_text=True)
    assert client.get("/guardian/consent/AAAAAAAAAAAA").status_code == 404


def test_an_adult_changes_their_password(client, auth, make):
    make.adult("grown")
    db.session.commit()
    auth.login("grown")
    weak = client.post("/account/password", data={"current": PASSWORD, "new": "12345678", "again": "12345678"})
    assert weak.status_code == 400 and "at least 10" in weak.get_data(as_text=True)
    good = client.post("/account/password", data={"current": PASSWORD, "new": "my own long words",
                                                  "again": "my own long words"})
    assert good.status_code == 302
    auth.logout()
    assert auth.login("grown", "my own long words").status_code == 302


def test_children_have_no_password_page(client, auth, make, school):
    child = make.child(school.school, username="kiddo")
    db.session.commit()
    assert child.is_child
    auth.login("kiddo")
    assert client.get("/account/password").status_code == 403


def test_picture_sign_in_keeps_the_words_typed_after_the_session_lapsed_as_password_sign_in_does(app, school):
    """Both ways in run the one sign-in sequence (council/accounts/signing_in.py)."""
    from council.proposals import operations as ideas

    child = school.imported()[2]  # 15: no guardian's consent needed to write
    draft = ideas.start_draft(child, school.school)
    ideas.save_draft(draft, child, title="秋千", problem="链子断了。")
    db.session.commit()
    sign_in = db.session.scalar(select(ChildSignIn).where(ChildSignIn.account_id == child.id))
    tablet = app.test_client()  # the session lapsed while the child typed
    tablet.post(f"/ideas/{draft.id}/step/1", data={"title": "秋千", "problem": "断网前写的话"})
    right = tap(tablet, school.group, sign_in, operations.picture_code(sign_in))
    assert right.status_code == 302 and right.headers["Location"] == f"/ideas/{draft.id}/step/{draft.wizard_step}"
    db.session.refresh(draft)
    assert draft.problem == "断网前写的话"
