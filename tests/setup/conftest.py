import pytest

from council.accounts.models import SystemRole
from council.extensions import db
from tests.rosters.conftest import xlsx_bytes as xlsx  # noqa: F401 (for the tests here)

COUNCIL_HEADER = ["名称", "类型", "所属镇街", "地址区域"]
UNIT_HEADER = ["单位名称", "英文名称", "类型", "所属工作组", "联系人"]
ADULT_HEADER = ["姓名", "手机", "邮箱", "角色", "议事会", "单位", "任期开始", "任期结束"]


def csv(rows: list[list], encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\n".join(",".join("" if cell is None else str(cell) for cell in row) for row in rows) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def district_files(councils: int, adults: int, units: int) -> dict[str, list[list]]:
    """A district's three files: ``councils`` communities, villages, schools and kindergartens spread over the 9
    towns and streets, ``units`` units (a group and its members first), ``adults`` adults: facilitators and
    teachers of those councils, staff of those units, one of the office; every third without an e-mail."""
    towns = ["丝绸路街道", "大街街道", "青年路街道", "永安街街道", "城北路街道", "北郊镇", "南郊镇", "王村镇", "萌水镇"]
    kinds = ["社区", "村", "学校", "幼儿园"]
    council_rows = [COUNCIL_HEADER] + [[f"第{n}号{kinds[n % 4]}", kinds[n % 4], towns[n % 9], f"第{n}片区"]
                                       for n in range(1, councils + 1)]
    unit_rows = [UNIT_HEADER, ["新建工作组", "New Working Group", "工作组", "", ""]] + [
        [f"新单位{n}", f"New Unit {n}", "部门" if n % 3 else "街道办事处", "新建工作组" if n % 5 == 0 else "",
         f"联系人{n}"] for n in range(1, units)]
    adult_rows = [ADULT_HEADER]
    for n in range(1, adults + 1):
        phone = f"139{n:08d}"
        email = f"adult{n}@example.cn" if n % 3 else ""
        if n == 1:
            adult_rows.append([f"办公室{n}", phone, email, "妇儿工委办公室", "", "", "", ""])
        elif n % 4 == 0 and units > 1:
            unit = f"新单位{(n % (units - 1)) + 1}"
            if (n % (units - 1) + 1) % 5 == 0 or unit == "新建工作组":
                unit = "新单位1"
            adult_rows.append([f"工作人员{n}", phone, email, "单位工作人员", "", unit, "2026-09-01", ""])
        else:
            council = f"第{(n % councils) + 1}号{kinds[((n % councils) + 1) % 4]}"
            role = "辅导员" if n % 2 else "教师"
            adult_rows.append([f"成人{n}", phone, email, role, council, "", "2026-09-01", "2028-08-31"])
    return {"councils": council_rows, "units": unit_rows, "adults": adult_rows}


@pytest.fixture
def office(reference, make):
    account = make.adult("office1", system_role=SystemRole.coordinator, name="区妇儿工委办")
    db.session.commit()
    return account
