"""Reading the office's files: every format and encoding an office saves, Chinese or English column names."""

from datetime import date

import pytest

from council.errors import DomainError
from council.setup import importing
from tests.setup.conftest import ADULT_HEADER, COUNCIL_HEADER, csv, xlsx

COUNCILS = [COUNCIL_HEADER, ["和平社区", "社区", "大街街道", "和平路"], ["东村", "村", "北郊镇", ""],
            ["实验小学", "学校", "丝绸路街道", None], ["阳光幼儿园", "幼儿园", "南郊镇", "阳光路"]]
EXPECTED = [("和平社区", "community", "大街街道", "和平路"), ("东村", "village", "北郊镇", None),
            ("实验小学", "school", "丝绸路街道", None), ("阳光幼儿园", "kindergarten", "南郊镇", "阳光路")]


def _read(rows):
    return [(r["values"]["name"], r["values"]["kind"], r["values"]["town"], r["values"]["area"]) for r in rows]


@pytest.mark.parametrize("data", [
    csv(COUNCILS), csv(COUNCILS, bom=True), csv(COUNCILS, encoding="gb18030"), xlsx(COUNCILS),
], ids=["utf-8", "utf-8 with BOM", "gb18030", "xlsx"])
def test_a_councils_file_reads_alike_in_every_format(app, data):
    rows = importing.read_file("councils", data)
    assert _read(rows) == EXPECTED
    assert all(row["problems"] == [] for row in rows)
    assert [row["line"] for row in rows] == [2, 3, 4, 5]


def test_english_column_names_and_words_are_understood(app):
    english = [["Name", "Kind", "Town or street", "Address area"], ["和平社区", "Community", "大街街道", "和平路"],
               ["东村", "village", "北郊镇", ""], ["实验小学", "SCHOOL", "丝绸路街道", ""],
               ["阳光幼儿园", "Kindergarten", "南郊镇", "阳光路"]]
    assert _read(importing.read_file("councils", csv(english))) == EXPECTED
    units = importing.read_file("units", xlsx([["Name in Chinese", "Name in English", "Type", "Parent group",
                                                "Contact"],
                                               ["区民政局", "Civil Affairs Bureau", "Department", "", ""],
                                               ["丝绸路街道办事处", "Sichoulu Office", "Street office", "", ""],
                                               ["北郊镇人民政府", "Beijiao Government", "town government", "", ""],
                                               ["新工作组", "New Group", "Group", "", ""],
                                               ["新机制", "New Mechanism", "coordination mechanism", "", ""]]))
    assert [r["values"]["kind"] for r in units] == ["department", "office", "office", "group", "mechanism"]
    header = ["Name", "Phone", "E-mail", "Role", "Council", "Unit", "Term start", "Term end"]
    adults = importing.read_file("adults", csv([
        header,
        ["张丽", "13800000001", "", "Facilitator", "和平社区", "", "2026-09-01", ""],
        ["李明", "", "li@example.cn", "teacher", "和平社区", "", "2026/9/1", ""],
        ["王强", "0533-6412345", "", "Unit staff", "", "区民政局", "2026年9月1日", ""],
        ["赵敏", "", "zhao@example.cn", "Office", "", "", "", ""]]))
    assert [r["values"]["role"] for r in adults] == ["facilitator", "teacher", "staff", "office"]
    assert [r["values"]["starts_on"] for r in adults] == ["2026-09-01"] * 3 + [None]
    assert all(r["problems"] == [] for r in adults)


def test_chinese_words_for_kinds_and_roles(app):
    units = importing.read_file("units", csv([
        ["单位名称", "英文名称", "类型"], ["甲", "A", "部门"], ["乙", "B", "街道办事处"], ["丙", "C", "镇政府"],
        ["丁", "D", "工作组"], ["戊", "E", "领导小组"], ["己", "F", "协调机制"]]))
    assert [r["values"]["kind"] for r in units] == ["department", "office", "office", "group", "group", "mechanism"]
    adults = importing.read_file("adults", csv([
        ADULT_HEADER,
        ["甲", "13800000001", "", "辅导员", "某社区", "", "2026-09-01", ""],
        ["乙", "13800000002", "", "教师", "某社区", "", "2026-09-01", ""],
        ["丙", "13800000003", "", "单位工作人员", "", "某单位", "2026-09-01", ""],
        ["丁", "13800000004", "", "妇儿工委办公室", "", "", "", ""]]))
    assert [r["values"]["role"] for r in adults] == ["facilitator", "teacher", "staff", "office"]


def test_phones_are_kept_as_digits_and_dates_as_days(app):
    assert importing.phone("138 0000 0000") == "13800000000"
    assert importing.phone("+86 138-0000-0000") == "13800000000"
    assert importing.phone("0533-6412345") == "05336412345"
    assert importing.phone("(0533) 641 2345") == "05336412345"
    assert importing.phone("12345") is None
    assert importing.phone("12800000000") is None  # no mobile number starts 12
    rows = importing.read_file("adults", xlsx([ADULT_HEADER, ["甲", 13800000001, None, "辅导员", "某社区", None,
                                                              date(2026, 9, 1), date(2028, 8, 31)]]))
    assert rows[0]["values"]["phone"] == "13800000001"
    assert (rows[0]["values"]["starts_on"], rows[0]["values"]["ends_on"]) == ("2026-09-01", "2028-08-31")


def codes(row):
    return [code for code, _values in row["problems"]]


def test_each_row_keeps_its_own_problems(app):
    rows = importing.read_file("adults", csv([
        ADULT_HEADER,
        ["甲", "12345", "", "辅导员", "某社区", "", "2026-09-01", ""],
        ["乙", "", "not-an-email", "教师", "某社区", "", "2026-09-01", ""],
        ["丙", "", "", "辅导员", "某社区", "", "2026-09-01", ""],
        ["丁", "13800000004", "", "校长", "某社区", "", "2026-09-01", ""],
        ["戊", "13800000005", "", "辅导员", "某社区", "", "2026-09-01", "2025-01-01"],
        ["己", "13800000006", "", "辅导员", "", "", "2026-02-30", ""],
        ["", "13800000007", "", "单位工作人员", "", "", "", ""]]))
    assert [codes(row) for row in rows] == [
        ["phone"], ["email"], ["no_contact"], ["role"], ["end_before_start"], ["date", "missing"],
        ["missing", "missing", "missing"]]
    councils = importing.read_file("councils", csv([COUNCIL_HEADER, ["甲", "医院", "大街街道", ""],
                                                    ["", "社区", "", ""]]))
    assert [codes(row) for row in councils] == [["council_kind"], ["missing", "missing"]]


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (csv([["名字"], ["甲"]]), "first row"),
    (csv([COUNCIL_HEADER]), "no rows"),
    (b"\xd0\xcf\x11\xe0old excel", ".xls"),
    (b"PK\x03\x04broken", "could not be opened"),
    (b"\xff\xfe\x00\x00", "letters"),
    (csv([COUNCIL_HEADER] + [["甲", "社区", "大街街道", ""]] * 2001), "at most 2000 rows"),
])
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(english, data, words):
    with english(), pytest.raises(DomainError) as refused:
        importing.read_file("councils", data)
    assert words in refused.value.message
