"""The coordinating office's supervision pages and exports, the open API of the figures, and the public units
pages that show the four rates."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask_babel import force_locale, gettext
from openpyxl import load_workbook

from council.accounts.models import SystemRole
from council.calendar import clock
from council.extensions import db
from council.tasks.models import Grade
from tests.conftest import kept_world
from tests.tasks.test_stats import World, build_march

# The March 2026 tasks are looked at from today, long after every due date of theirs (the latest is 2026-04-29):
# X's open task and Y's unacknowledged one are both overdue and very overdue.
YEAR = {"year": 2026}


@pytest.fixture
def app(app):
    if "supervision" not in app.blueprints:  # until registered in create_app
        from council.tasks.supervision import bp

        app.register_blueprint(bp)
    return app


@kept_world
def world(make):
    return World(make)


@kept_world
def march(world):
    return build_march(world)


@pytest.fixture
def english_reader(client):
    """The client reads English, so pages can be checked against the source sentences."""
    client.set_cookie("lang", "en")


def page(client, path, **params):
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


PATHS = ["/supervision", "/supervision/units/{unit}", "/supervision/export.csv", "/supervision/export.xlsx"]


@pytest.mark.parametrize("path", PATHS)
def test_supervision_is_for_the_coordinating_office_only(client, auth, make, march, path):
    path = path.format(unit=march.world.x.id)
    make.adult("admin1", system_role=SystemRole.admin)
    db.session.commit()
    assert "/login" in client.get(path).headers["Location"]
    for username, status in (("staff_x", 403), ("author", 403), ("coord", 200), ("admin1", 200)):
        auth.login(username)
        assert client.get(path).status_code == status, username
        auth.logout()


def test_a_unknown_unit_is_not_found(client, auth, march):
    auth.login("coord")
    assert client.get("/supervision/units/999999").status_code == 404


def test_the_table_shows_rates_as_percentages_and_a_dash_under_the_minimum(client, auth, english_reader, march):
    auth.login("coord")
    html = page(client, "/supervision", **YEAR)
    x_row = html[html.index("区教育和体育局"):html.index("</tr>", html.index("区教育和体育局"))]
    for percentage in ("83.3%", "80.0%", "60.0%", "40.0%"):
        assert percentage in x_row
    assert "15.6" in x_row
    y_row = html[html.index("周村交警大队"):html.index("</tr>", html.index("周村交警大队"))]
    assert "%" not in y_row and y_row.count("—") == 4
    assert html.index("Too few tasks") > html.index("区教育和体育局")  # the ranked unit comes first
    assert "Tasks acknowledged within the deadline ÷ tasks sent to the unit." in html
    assert f'/supervision/units/{march.world.x.id}?year=2026' in html
    assert "小作者" not in html and "李真名" not in html


def test_a_month_shows_only_its_tasks(client, auth, english_reader, march):
    auth.login("coord")
    assert "区教育和体育局" in page(client, "/supervision", year=2026, month=3)
    assert "No task was sent to a unit in this period." in page(client, "/supervision", year=2026, month=4)
    assert "区教育和体育局" in page(client, "/supervision", year=2025, month=12)


def test_the_unit_page_lists_its_tasks_with_their_deadlines(client, auth, english_reader, march):
    auth.login("coord")
    html = page(client, f"/supervision/units/{march.world.x.id}", **YEAR)
    for task in march.x_tasks:
        assert f'href="/tasks/{task.id}"' in html
        assert f'href="/ideas/{task.proposal.id}"' in html
    assert f'href="/tasks/{march.withdrawn.id}"' not in html
    assert f'href="/tasks/{march.last_year.id}"' not in html
    assert html.count(">late</span>") == 2  # acknowledged late once, answered late once
    assert "Very overdue" in html and "D · Not possible" in html
    assert "Rank 1 of 1 ranked units." in html


def rows_of_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_csv_export_opens_in_excel_with_every_figure(client, auth, english_reader, march):
    auth.login("coord")
    response = client.get("/supervision/export.csv", query_string=YEAR)
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="supervision-2026.csv"'
    header, x, y = rows_of_csv(response)
    assert header[:6] == ["Rank", "Unit number", "Unit", "Tasks sent", "Acknowledged on time", "Response rate"]
    assert len(header) == 20
    assert x == ["1", str(march.world.x.id), "区教育和体育局", "6", "5", "0.8333", "5", "4", "0.8000", "3", "0.6000",
                 "5", "2", "1", "0.4000", "1", "1", "15.6", "0", "1"]
    assert y == ["", str(march.world.y.id), "周村交警大队", "3", "1", "", "1", "1", "", "1", "", "0", "0", "0", "",
                 "1", "1", "13.0", "1", "0"]


def test_the_csv_header_is_in_the_readers_language(client, auth, march):
    auth.login("coord")
    client.set_cookie("lang", "zh_Hans_CN")
    chinese = rows_of_csv(client.get("/supervision/export.csv", query_string=YEAR))[0]
    client.set_cookie("lang", "en")
    english = rows_of_csv(client.get("/supervision/export.csv", query_string=YEAR))[0]
    with force_locale("zh_Hans_CN"):
        assert chinese[:3] == [gettext("Rank"), gettext("Unit number"), gettext("Unit")]
    assert english[:3] == ["Rank", "Unit number", "Unit"]
    assert len(chinese) == len(english)


def test_a_month_export_is_named_after_the_month(client, auth, march):
    auth.login("coord")
    response = client.get("/supervision/export.csv", query_string={"year": 2026, "month": 4})
    assert response.headers["Content-Disposition"] == 'attachment; filename="supervision-2026-04.csv"'
    assert len(rows_of_csv(response)) == 1  # the header alone: nothing was sent in April


def test_the_excel_export_has_a_bold_frozen_header_and_a_row_per_unit(client, auth, english_reader, march):
    auth.login("coord")
    response = client.get("/supervision/export.xlsx", query_string=YEAR)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="supervision-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[0][:3] == ("Rank", "Unit number", "Unit")
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert rows[1][:6] == (1, march.world.x.id, "区教育和体育局", 6, 5, 0.8333)
    assert rows[1][8] == 0.8 and rows[1][14] == 0.4
    assert rows[2][2] == "周村交警大队" and rows[2][5] is None and rows[2][0] is None
    assert sheet["F2"].number_format == "0.0000"
    assert sheet.column_dimensions["C"].width >= len("区教育和体育局") * 2


def test_the_api_gives_fractions_and_nulls_under_the_minimum(client, march):
    data = client.get("/api/v1/stats/units", query_string=YEAR).get_json()
    assert set(data) == {"items", "page", "pages", "total"} and data["total"] == 2
    x, y = data["items"]
    assert x == {"id": march.world.x.id, "name": "区教育和体育局", "name_en": None, "dispatched": 6, "replied": 5,
                 "response_rate": 0.8333, "on_time_rate": 0.8, "resolution_rate": 0.6, "satisfaction_rate": 0.4,
                 "ranked": True}
    assert y["ranked"] is False and y["dispatched"] == 3
    assert [y[k] for k in ("response_rate", "on_time_rate", "resolution_rate", "satisfaction_rate")] == [None] * 4


def test_the_api_filters_by_month(client, march):
    assert client.get("/api/v1/stats/units", query_string={"year": 2026, "month": 4}).get_json()["total"] == 0
    assert client.get("/api/v1/stats/units", query_string={"year": 2026, "month": 3}).get_json()["total"] == 2


def this_years_answers(world: World) -> None:
    """Five tasks for X sent, acknowledged and answered just now (so on time), and one for Y."""
    for _ in range(5):
        [task] = world.send(world.x, None)
        world.acknowledge(task, None)
        world.reply(task, Grade.A, None)
    world.send(world.y, None)
    db.session.commit()


def test_the_api_counts_this_year_unless_asked(client, world):
    this_years_answers(world)
    [x, y] = client.get("/api/v1/stats/units").get_json()["items"]
    assert (x["name"], x["dispatched"], x["response_rate"], x["on_time_rate"]) == ("区教育和体育局", 5, 1.0, 1.0)
    assert (y["name"], y["dispatched"], y["ranked"]) == ("周村交警大队", 1, False)
    last_year = clock.today().year - 1
    assert client.get("/api/v1/stats/units", query_string={"year": last_year}).get_json()["items"] == []


def test_the_public_units_page_shows_the_rates_of_a_ranked_unit(client, english_reader, world):
    this_years_answers(world)
    html = page(client, "/units/")
    x_card = html[html.index("区教育和体育局"):html.index("</li>", html.index("区教育和体育局"))]
    assert "Response rate 100.0%" in x_card and "On-time rate 100.0%" in x_card
    y_card = html[html.index("周村交警大队"):html.index("</li>", html.index("周村交警大队"))]
    assert "Not enough answers yet for rates this year." in y_card and "%" not in y_card
    for name in ("小作者", "小粉丝", "李真名", "赵真名", "王小明"):
        assert name not in html


def test_the_public_unit_page_shows_its_figures_and_answered_ideas(client, english_reader, world):
    this_years_answers(world)
    html = page(client, f"/units/{world.x.id}")
    assert "Resolution rate" in html and "100.0%" in html
    assert len(re.findall(r'href="/ideas/\d+"', html)) == 5
    assert "It is done!" in html  # grade A, in the words the public page uses
    assert "/tasks/" not in html  # the task pages are for the unit and the office
    for name in ("小作者", "小粉丝", "李真名", "赵真名", "王小明"):
        assert name not in html
    y_html = page(client, f"/units/{world.y.id}")
    assert "Not enough answers yet for rates this year." in y_html and "Resolution rate" not in y_html.split(
        "How the figures are counted")[0]


def test_the_public_pages_speak_of_this_year(client, english_reader, world):
    this_years_answers(world)
    assert f"in {clock.today().year}" in page(client, "/units/")
