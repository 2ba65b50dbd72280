import io

from openpyxl import Workbook

from council.calendar import clock
from council.extensions import db
from council.rosters import operations
from tests.conftest import kept_world


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


YEAR = clock.today().year
GOOD_CSV = f"姓名,昵称,出生年份,性别\n王小明,小星星,{YEAR - 8},男\n李晓雨,,{YEAR - 10},女\n张伟,小海豚,{YEAR - 15},男\n"


class School:
    """A street with a school council, its teacher, a teacher of a sibling street, and one class."""

    def __init__(self, make):
        self.make = make
        self.district, self.street, self.street_b, self.school, self.other_school = make.tree()
        self.teacher = make.adult("teacher1", role="teacher", council=self.school)
        self.stranger = make.adult("teacher2", role="teacher", council=self.other_school)
        self.facilitator = make.adult("fac1", role="facilitator", council=self.street)
        self.group = operations.create_class(self.teacher, self.school, "三年级二班")
        db.session.commit()

    def imported(self, data: bytes = None, filename="class.csv"):
        pending = operations.preview_import(self.group, self.teacher, filename, data or GOOD_CSV.encode())
        children = operations.run_import(pending, self.teacher)
        db.session.commit()
        return children


@kept_world
def school(make):
    return School(make)

