from datetime import timedelta

import pytest
from sqlalchemy import func, select

from council.accounts import operations as accounts
from council.accounts.models import Account, ConsentDecision, ConsentMethod, Membership
from council.accounts.passwords import WeakPassword, change_password, password_problem
from council.audit.models import Event
from council.calendar import clock
from council.errors import DomainError
from council.extensions import db
from council.rosters import importing, operations
from council.rosters.models import ChildSignIn, RosterImport
from tests.conftest import PASSWORD
from tests.rosters.conftest import GOOD_CSV, YEAR, xlsx_bytes


def problems(rows):
    return [[code for code, _values in row["problems"]] for row in rows]


# --- reading files ---------------------------------------------------------------------------------------

def test_csv_with_bom_and_chinese_headers_is_read_and_extra_columns_ignored():
    rows = importing.parse_roster("a.csv", b"\xef\xbb\xbf" + GOOD_CSV.encode())
    assert [(r["real_name"], r["birth_year"]) for r in rows] == [
        ("王小明", YEAR - 8), ("李晓雨", YEAR - 10), ("张伟", YEAR - 15)]
    assert rows[0]["nickname"] == "小星星" and not rows[0]["nickname_generated"]
    assert problems(rows) == [[], [], []]
    assert all("性别" not in str(r) and "男" not in str(r.values()) for r in rows)


def test_gb18030_csv_as_chinese_excel_saves_it_is_read():
    rows = importing.parse_roster("a.csv", GOOD_CSV.encode("gb18030"))
    assert [r["real_name"] for r in rows] == ["王小明", "李晓雨", "张伟"]


def test_xlsx_with_english_headers_numbers_and_dates_is_read():
    from datetime import date

    data = xlsx_bytes([["Name", "Nickname", "Birth date"], ["Wang Ming", "Sunny", date(YEAR - 9, 3, 1)],
                       ["Li Yu", None, float(YEAR - 7)]])
    rows = importing.parse_roster("class.xlsx", data)
    assert [(r["real_name"], r["birth_year"]) for r in rows] == [("Wang Ming", YEAR - 9), ("Li Yu", YEAR - 7)]
    assert rows[1]["nickname_generated"] and rows[1]["nickname"] in importing.FRIENDLY


def test_every_row_keeps_its_own_problems(english):
    text = (f"姓名,昵称,出生年份\n,小云朵,{YEAR - 8}\n王小明,小星星,{YEAR - 40}\n赵一,小鹿,去年\n"
            f"钱二,小熊,{YEAR - 9}\n钱二,小猫,{YEAR - 9}\n孙三,13812345678,{YEAR - 9}\n周四,周四,{YEAR - 9}\n"
            f"吴五,张小花,{YEAR - 9}\n郑六,小熊,{YEAR - 9}\n")
    rows = importing.parse_roster("a.csv", text.encode())
    assert problems(rows) == [["name_missing"], ["year_impossible"], ["year_unreadable"], [],
                              ["duplicate_in_file"], ["nickname_private"],
                              ["nickname_real_name"], ["nickname_real_name"], ["nickname_taken"]]
    with english():
        assert importing.problem_text(*rows[4]["problems"][0]) == (
            "The same child (name and birth year) is already on row 5.")
        assert "phone" in importing.problem_text(*rows[5]["problems"][0])


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    ("名字\n王小明\n".encode(), "first row"),
    ("姓名,出生年份\n".encode(), "no children"),
    (b"\xd0\xcf\x11\xe0rest", ".xls"),
    (b"PK\x03\x04broken", "could not be opened"),
])
def test_unreadable_files_get_a_clear_message(english, data, words):
    with english(), pytest.raises(DomainError) as refused:
        importing.parse_roster("a", data)
    assert words in refused.value.message


# --- importing ---------------------------------------------------------------------------------------------

def test_a_generated_nickname_never_takes_one_a_later_row_chose(monkeypatch):
    # The generator would pick the first free name, and a later row chose that very name itself.
    monkeypatch.setattr(importing, "FRIENDLY", ["小海豚", "小企鹅"])
    monkeypatch.setattr(importing.secrets, "choice", lambda names: names[0])
    text = f"姓名,昵称,出生年份\n李晓雨,,{YEAR - 10}\n张伟,小海豚,{YEAR - 15}\n"
    rows = importing.parse_roster("a.csv", text.encode())
    assert [row["nickname"] for row in rows] == ["小企鹅", "小海豚"]
    assert all(row["problems"] == [] for row in rows)


def test_import_creates_every_child_with_profile_tile_and_code_but_no_membership(school):
    children = school.imported()
    assert [c.display_name for c in children][0] == "小星星"
    for child in children:
        profile = child.child_profile
        assert profile.home_council is school.school and profile.class_name == "三年级二班"
        assert profile.school == school.school.name
        assert child.is_child and child.active
    sign_ins = db.session.scalars(select(ChildSignIn).where(ChildSignIn.class_id == school.group.id)).all()
    assert len(sign_ins) == 3 and len({s.avatar for s in sign_ins}) == 3
    assert all(operations.picture_code(s) is not None for s in sign_ins)
    assert db.session.scalar(select(func.count(Membership.id)).where(
        Membership.account_id.in_([c.id for c in children]))) == 0
    assert db.session.scalar(select(func.count(Event.id)).where(Event.action == "roster_imported")) == 1


def test_the_same_preview_is_imported_once(school):
    pending = operations.preview_import(school.group, school.teacher, "a.csv", GOOD_CSV.encode())
    operations.run_import(pending, school.teacher)
    db.session.commit()
    with pytest.raises(operations.AlreadyImported):
        operations.run_import(pending, school.teacher)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Account.id)).where(Account.kind == "child")) == 3


def test_a_second_file_with_the_same_children_is_refused_row_by_row(school):
    school.imported()
    again = operations.preview_import(school.group, school.teacher, "a.csv", GOOD_CSV.encode())
    assert [row[0] for row in problems(again.rows)] == ["already_in_class"] * 3


def test_a_list_with_problems_creates_nobody(school):
    pending = operations.preview_import(school.group, school.teacher, "a.csv",
                                        f"姓名,出生年份\n王小明,{YEAR - 8}\n,{YEAR - 8}\n".encode())
    with pytest.raises(DomainError):
        operations.run_import(pending, school.teacher)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Account.id)).where(Account.kind == "child")) == 0


def test_import_is_all_or_nothing_when_one_child_fails(school, monkeypatch):
    pending = operations.preview_import(school.group, school.teacher, "a.csv", GOOD_CSV.encode())
    db.session.commit()
    real = accounts.create_child
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise DomainError("refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(accounts, "create_child", failing)
    with pytest.raises(DomainError):
        operations.run_import(pending, school.teacher)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Account.id)).where(Account.kind == "child")) == 0
    assert db.session.get(RosterImport, pending.id).imported_at is None


def test_only_the_class_teacher_and_those_above_may_import(school):
    with pytest.raises(DomainError):
        operations.preview_import(school.group, school.stranger, "a.csv", GOOD_CSV.encode())
    assert operations.can_manage(school.facilitator, school.group)


# --- picture sign-in ---------------------------------------------------------------------------------------

def enrolled(school):
    child = school.imported()[0]
    sign_in = db.session.scalar(select(ChildSignIn).where(ChildSignIn.account_id == child.id))
    return sign_in, operations.picture_code(sign_in)


def wrong(code):
    return [(code[0] + 1) % 9, code[1], code[2]]


def test_the_right_pictures_open_the_account_and_clear_the_count(school):
    sign_in, code = enrolled(school)
    with pytest.raises(operations.SignInRefused):
        operations.sign_in_with_pictures(school.group, sign_in, wrong(code))
    assert sign_in.failed_count == 1
    assert operations.sign_in_with_pictures(school.group, sign_in, code) is sign_in.account
    assert sign_in.failed_count == 0


def test_five_wrong_codes_lock_the_child_until_the_teacher_unlocks(school, english):
    sign_in, code = enrolled(school)
    with english():
        for _n in range(5):
            with pytest.raises(operations.SignInRefused) as refused:
                operations.sign_in_with_pictures(school.group, sign_in, wrong(code))
        assert "locked" in refused.value.message
        assert sign_in.locked_at is not None
        with pytest.raises(operations.SignInRefused) as refused:
            operations.sign_in_with_pictures(school.group, sign_in, code)  # even the right code waits
        assert "Ask your teacher to unlock it" in refused.value.message
    operations.reset_child(sign_in, school.teacher)
    assert operations.sign_in_with_pictures(school.group, sign_in, code) is sign_in.account
    actions = db.session.scalars(select(Event.action).where(Event.subject_id == sign_in.account_id)).all()
    assert "picture_sign_in_locked" in actions and "picture_sign_in_reset" in actions


def test_twenty_wrong_codes_in_an_hour_pause_the_class_for_fifteen_minutes(school, english):
    children = school.imported()
    sign_ins = [db.session.scalar(select(ChildSignIn).where(ChildSignIn.account_id == c.id)) for c in children]
    now = clock.now()
    for n in range(20):
        sign_in = sign_ins[n % 3]
        sign_in.failed_count = 0  # only the class limit is the subject here
        with pytest.raises(operations.SignInRefused):
            operations.sign_in_with_pictures(school.group, sign_in, wrong(operations.picture_code(sign_in)),
                                             now=now + timedelta(minutes=n))
    assert operations.class_locked(school.group, now + timedelta(minutes=20))
    first = sign_ins[0]
    first.locked_at, first.failed_count = None, 0
    with english(), pytest.raises(operations.SignInRefused) as refused:
        operations.sign_in_with_pictures(school.group, first, operations.picture_code(first),
                                         now=now + timedelta(minutes=25))
    assert "paused" in refused.value.message
    later = now + timedelta(minutes=19 + 16)
    assert operations.sign_in_with_pictures(school.group, first, operations.picture_code(first), now=later)
    operations.reset_class(school.group, school.teacher)
    assert school.group.locked_until is None


def test_wrong_codes_more_than_an_hour_apart_start_a_new_count(school):
    sign_in, code = enrolled(school)
    now = clock.now()
    for n in range(3):
        with pytest.raises(operations.SignInRefused):
            operations.sign_in_with_pictures(school.group, sign_in, wrong(code), now=now + timedelta(hours=2 * n))
    assert school.group.failures == 1


def test_a_new_picture_code_replaces_the_old_one_and_is_recorded(school):
    sign_in, code = enrolled(school)
    new = operations.issue_picture_code(sign_in, school.teacher, [8, 7, 6] if code != [8, 7, 6] else [1, 2, 3])
    with pytest.raises(operations.SignInRefused):
        operations.sign_in_with_pictures(school.group, sign_in, code)
    assert operations.picture_code(sign_in) == new
    assert db.session.scalar(select(Event).where(Event.action == "picture_code_issued")).actor_id == school.teacher.id
    with pytest.raises(DomainError):
        operations.issue_picture_code(sign_in, school.stranger)


def test_a_card_opens_under_a_new_key_only_while_the_old_one_is_a_fallback(school, app):
    """A new SECRET_KEY naming the old one in SECRET_KEY_FALLBACKS (as Flask reads sessions) still prints and signs
    in with every card, and seals each again under the new key when it is used, so the old key can go; without the
    old key no card opens (the cards page offers new codes)."""
    sign_in, code = enrolled(school)
    sealed = sign_in.code_sealed, sign_in.code_check
    old_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another"
    assert operations.picture_code(sign_in) is None
    with pytest.raises(operations.SignInRefused):
        operations.sign_in_with_pictures(school.group, sign_in, code)
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert operations.sign_in_with_pictures(school.group, sign_in, code) is sign_in.account
    assert (sign_in.code_sealed, sign_in.code_check) != sealed  # sealed again under "another"
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert operations.picture_code(sign_in) == code
    assert operations.sign_in_with_pictures(school.group, sign_in, code) is sign_in.account


def test_the_database_alone_gives_no_childs_code_away(school, app, monkeypatch):
    """What is stored of a code, its seal and its check, tells nothing without the key: under another key none of
    the 504 possible codes matches the check, and no password hash is kept that 504 guesses would open. Sign-in and
    printing compute no password hash (0.12 s each with scrypt; 6 s to set a class of 45 codes)."""
    from itertools import permutations

    hashes = []
    monkeypatch.setattr(operations, "check_password_hash", lambda *args: hashes.append(args) or False)
    sign_in, code = enrolled(school)
    assert sign_in.code_hash == "" and sign_in.code_check
    assert [operations.picture_code(sign_in) for _ in range(3)] == [code] * 3
    assert operations.sign_in_with_pictures(school.group, sign_in, code) is sign_in.account
    assert hashes == []
    app.config["SECRET_KEY"] = "another"
    guesses = {operations._seal_check(sign_in.code_salt, list(guess)) for guess in permutations(range(9), 3)}
    assert len(guesses) == 504 and sign_in.code_check not in guesses


def test_a_code_kept_before_0024_is_checked_by_its_hash_once_and_then_sealed(school, app):
    """A code set before migration 0024 has its password hash and no check: its first print or sign-in checks the
    hash and seals it as new codes are (the hash is then dropped). One whose seal no key opens any more (the key
    changed with no fallback) still signs the child in by the hash, as it did, and is sealed under the new key."""
    from werkzeug.security import generate_password_hash

    sign_in, code = enrolled(school)

    def as_before_0024():
        sign_in.code_hash, sign_in.code_check = generate_password_hash(operations._code_text(code)), None

    as_before_0024()
    assert operations.picture_code(sign_in) == code
    assert sign_in.code_hash == "" and sign_in.code_check is not None
    as_before_0024()
    with pytest.raises(operations.SignInRefused):  # the seal opened by the hash: sealed anew, the try still wrong
        operations.sign_in_with_pictures(school.group, sign_in, wrong(code))
    assert sign_in.code_hash == "" and operations.sign_in_with_pictures(school.group, sign_in, code)
    as_before_0024()
    app.config["SECRET_KEY"] = "another"
    assert operations.picture_code(sign_in) is None and sign_in.code_hash
    with pytest.raises(operations.SignInRefused):
        operations.sign_in_with_pictures(school.group, sign_in, wrong(code))
    assert operations.sign_in_with_pictures(school.group, sign_in, code) is sign_in.account
    assert sign_in.code_hash == "" and operations.picture_code(sign_in) == code


# --- guardian consent online --------------------------------------------------------------------------

def young_child(school):
    return school.imported()[0]  # 王小明, 8: under 14, no consent yet


def test_consent_invitation_is_answered_once_online(school):
    child = young_child(school)
    assert operations.needs_consent(child)
    code = operations.slip_code(child, school.teacher)
    assert operations.slip_code(child, school.teacher) == code  # printing again shows the same code
    invitation = operations.find_invitation(operations.pretty_code(code).lower())
    assert operations.invitation_state(invitation) == "open"
    consent = operations.answer_invitation(invitation, guardian_name="王建国", relation="父亲",
                                           decision=ConsentDecision.granted)
    db.session.commit()
    assert consent.method is ConsentMethod.online and accounts.has_consent(child)
    assert operations.invitation_state(invitation) == "used"
    with pytest.raises(DomainError):
        operations.answer_invitation(invitation, guardian_name="王建国", relation="父亲",
                                     decision=ConsentDecision.refused)
    assert operations.slip_code(child, school.teacher) is None


def test_a_refusal_online_switches_the_account_off(school):
    child = young_child(school)
    invitation = operations.issue_invitation(child, school.teacher)
    operations.answer_invitation(invitation, guardian_name="李芳", relation="母亲", decision=ConsentDecision.refused)
    assert not child.active


def test_reissued_and_expired_invitations_stop_working(school):
    child = young_child(school)
    first = operations.issue_invitation(child, school.teacher)
    second = operations.issue_invitation(child, school.teacher)
    assert operations.invitation_state(first) == "replaced"
    assert operations.invitation_state(second, clock.now() + timedelta(days=31)) == "expired"
    with pytest.raises(DomainError):
        operations.answer_invitation(second, guardian_name="x", relation="母亲", decision=ConsentDecision.granted,
                                     now=clock.now() + timedelta(days=31))
    assert operations.find_invitation("AAAA-AAAA-AAAA") is None and operations.find_invitation("short") is None


def test_only_the_childs_teachers_may_invite(school):
    child = young_child(school)
    with pytest.raises(DomainError):
        operations.issue_invitation(child, school.stranger)


# --- adult passwords -------------------------------------------------------------------------------------

@pytest.mark.parametrize("password, fine", [
    ("short", False), ("password123", False), ("1234567890", False), ("aaaaaaaaaaaa", False),
    ("zhoucun2026", True), (PASSWORD, True),
])
def test_password_rule(english, password, fine):
    with english():
        assert (password_problem(password) is None) is fine


def test_new_adults_need_a_good_password(make):
    with pytest.raises(WeakPassword):
        accounts.create_adult("weak", "qwertyuiop", "弱")
    with pytest.raises(WeakPassword):
        accounts.create_adult("samename12", "samename12", "同名")


def test_changing_my_password_checks_the_current_one_and_the_rule(make, english):
    adult = make.adult("changer")
    with english():
        for current, new, again, words in [("wrong", "a much better one", "a much better one", "current password"),
                                           (PASSWORD, "a much better one", "a much better two", "not the same"),
                                           (PASSWORD, "password1", "password1", "at least 10")]:
            with pytest.raises(WeakPassword) as refused:
                change_password(adult, current=current, new=new, again=again)
            assert words in refused.value.message
    change_password(adult, current=PASSWORD, new="a much better one", again="a much better one")
    assert accounts.authenticate("changer", "a much better one") is adult
