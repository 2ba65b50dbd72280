"""The office's setup pages: upload, preview, apply once, links to print, templates; nothing private in public."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from council.accounts.models import Account
from council.councils.models import Council
from council.extensions import db
from council.setup import importing
from council.setup.models import SetupImport
from council.units.models import Unit
from tests.setup.conftest import ADULT_HEADER, COUNCIL_HEADER, UNIT_HEADER, csv, xlsx
from tests.setup.test_operations import ADULTS, COUNCILS, UNITS, counts


def upload(client, **given):
    data = {kind: (io.BytesIO(body), f"{kind}.xlsx") for kind, body in given.items()}
    return client.post("/setup", data=data, content_type="multipart/form-data")


def test_the_setup_page_is_the_offices(client, auth, office, make):
    assert client.get("/setup").status_code == 302
    make.adult("teacher9")
    db.session.commit()
    auth.login("teacher9")
    assert client.get("/setup").status_code == 403
    assert client.get("/setup/templates/adults.xlsx").status_code == 403
    auth.logout()
    auth.login("office1")
    page = client.get("/setup").get_data(as_text=True)
    assert "设置全区数据" in page and "/setup/templates/councils.xlsx" in page


def test_the_templates_have_chinese_columns_and_read_back_without_problems(client, auth, office):
    auth.login("office1")
    uploads = {}
    for kind, header in (("councils", COUNCIL_HEADER), ("units", UNIT_HEADER), ("adults", ADULT_HEADER)):
        book = client.get(f"/setup/templates/{kind}.xlsx")
        assert book.headers["Content-Disposition"] == f'attachment; filename="setup-{kind}.xlsx"'
        rows = list(load_workbook(io.BytesIO(book.data)).active.iter_rows(values_only=True))
        assert list(rows[0]) == header and len(rows) == 2
        text = client.get(f"/setup/templates/{kind}.csv").data
        assert text.startswith(b"\xef\xbb\xbf") and text.decode("utf-8-sig").splitlines()[0] == ",".join(header)
        assert importing.read_file(kind, text)[0]["problems"] == []
        uploads[kind] = book.data
    response = upload(client, **uploads)
    assert response.status_code == 302
    pending = db.session.scalar(select(SetupImport))
    assert pending.count("problem") == 0 and pending.count("create") == 3


def test_an_english_reader_gets_english_templates_that_read_back_alike(client, auth, office):
    auth.login("office1")
    client.get("/lang/en")
    book = client.get("/setup/templates/adults.xlsx")
    rows = list(load_workbook(io.BytesIO(book.data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["Name", "Phone", "E-mail", "Role", "Council", "Unit", "Term start", "Term end"]
    assert rows[1][3] == "facilitator"
    [row] = importing.read_file("adults", book.data)
    assert (row["values"]["role"], row["values"]["phone"], row["problems"]) == ("facilitator", "13800000000", [])


def test_a_file_that_cannot_be_read_is_refused_beside_its_field(client, auth, office):
    auth.login("office1")
    response = upload(client, units=csv([["名字"], ["甲"]]))
    assert response.status_code == 400
    assert "units.xlsx：单位文件的第一行必须是列名" in response.get_data(as_text=True)
    response = client.post("/setup", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "请至少选择一个文件" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SetupImport.id))) == 0


def test_a_preview_with_mistakes_lists_them_and_cannot_be_applied(client, auth, office):
    auth.login("office1")
    bad = [ADULT_HEADER, ["甲", "12345", "", "辅导员", "和平社区", "", "2026-09-01", ""],
           ["乙", "13800000002", "", "教师", "火星社区", "", "2026-09-01", ""],
           ["丙", "13800000003", "", "校长", "和平社区", "", "2026-09-01", ""]]
    response = upload(client, councils=xlsx([COUNCIL_HEADER, ["和平社区", "社区", "火星镇", ""]]), adults=xlsx(bad))
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert "没有名为“火星镇”的镇（街道）议事会。" in text
    assert "“12345”不是电话号码" in text and "“校长”不是一种角色" in text
    assert "没有名为“火星社区”的议事会" in text
    assert "4 行有问题" in text and "执行导入：" not in text
    before = counts()
    refused = client.post(response.headers["Location"])
    assert refused.status_code == 400 and "有些行有问题" in refused.get_data(as_text=True)
    assert counts() == before


def test_apply_once_shows_the_links_to_print_and_a_second_press_changes_nothing(client, auth, office):
    auth.login("office1")
    response = upload(client, councils=xlsx(COUNCILS), units=xlsx(UNITS), adults=xlsx(ADULTS))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "执行导入：新建 11 项，修改 0 项" in preview
    applied = client.post(response.headers["Location"])
    assert applied.status_code == 200
    text = applied.get_data(as_text=True)
    assert "新建 11 项，修改 0 项。" in text and "2 人的设置密码链接将通过邮件发送。" in text
    li = db.session.scalar(select(Account).where(Account.phone == "13800000002"))
    assert f"为{li.display_name}" in text or li.display_name in text
    assert li.username in text and "/welcome/" in text
    before = counts()
    again = client.post(response.headers["Location"])
    assert again.status_code == 302
    assert "已经执行过了" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert counts() == before
    links = client.post(response.headers["Location"] + "/links")
    assert links.status_code == 200 and links.get_data(as_text=True).count("/welcome/") == 4


def test_phones_emails_and_contacts_never_reach_a_public_page(client, auth, office):
    auth.login("office1")
    response = upload(client, councils=xlsx(COUNCILS), units=xlsx(UNITS), adults=xlsx(ADULTS))
    client.post(response.headers["Location"])
    auth.logout()
    heping = db.session.scalar(select(Council).where(Council.name == "和平社区"))
    library = db.session.scalar(select(Unit).where(Unit.name == "区图书馆"))
    private = ("13800000001", "138 0000 0001", "zhangli@example.cn", "05336412345", "0533-6412345", "6412345")
    for path in (f"/councils/{heping.id}", f"/units/{library.id}", "/councils/", "/units/",
                 "/api/v1/councils", "/api/v1/units"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert not [p for p in private if p in page.get_data(as_text=True)], path


def test_two_imports_of_the_same_units_at_the_same_moment_refuse_the_second_clearly(client, auth, office,
                                                                                     monkeypatch):
    """Both previews were checked before either was applied: the second one's rows still say "create" when it is
    applied, and the database's unique names refuse it — a clear page, not a 500, and nothing of it stays."""
    from council.setup import operations

    auth.login("office1")
    first = upload(client, units=xlsx(UNITS)).headers["Location"]
    second = upload(client, units=xlsx(UNITS)).headers["Location"]
    assert client.post(first).status_code == 200
    before = counts()
    pending = db.session.scalar(select(SetupImport).where(SetupImport.token == second.rsplit("/", 1)[1]))
    as_previewed = pending.rows, {}
    monkeypatch.setattr(operations, "check", lambda rows: as_previewed)  # as if read before the first was applied
    refused = client.post(second)  # each unit's own check finds the name taken
    assert refused.status_code == 400 and "已经有同名的单位" in refused.get_data(as_text=True)
    assert counts() == before

    def add_unit_checked_before_the_other_commit(actor, *, name, name_en, kind, group=None):
        unit = Unit(name=name, name_en=name_en, kind=kind)  # the name was still free when it looked
        db.session.add(unit)
        return unit

    monkeypatch.setattr(operations, "add_unit", add_unit_checked_before_the_other_commit)
    refused = client.post(second)  # the database's unique name refuses it
    assert refused.status_code == 409
    assert "另一次导入在同一时刻添加了" in refused.get_data(as_text=True)
    assert counts() == before
    db.session.expire_all()
    assert db.session.get(SetupImport, pending.id).applied_at is None
