"""The pages, the JSON and the digest, as people and systems see them."""

import email
import io
from pathlib import Path

from sqlalchemy import select

from council.councils.models import Council
from council.extensions import db
from council.indicators import operations
from council.indicators.models import IndicatorReport, Period, ReportState
from council.notifications.outbox import send_due
from council.plan.models import PlanTask
from council.proposals import operations as ideas
from council.tasks.reminders import remind
from tests.conftest import PASSWORD
from tests.indicators.conftest import at
from tests.uploads.test_images import GPS_IFD, encode, gps_exif, two_halves


def confirmed(office, code, staff, period, value=None, done=None):
    report = operations.submit(office.indicator(code), office.staff[staff], period=period, value=value, done=done,
                               now=at(f"{period.end.isoformat()}") if period.end < at("2026-11-01").date()
                               else None)
    operations.confirm(report, office.coordinator)
    db.session.commit()
    return report


def park_idea(make, coordinator):
    district = db.session.scalar(select(Council).where(Council.code == "zhoucun"))
    child = make.child(district, nickname="小星星")
    proposal = ideas.start_draft(child, district)
    ideas.save_draft(proposal, child, title="希望有更多口袋公园", problem="没有地方玩。", idea="建口袋公园。")
    ideas.choose_topic(proposal, child, db.session.scalar(select(PlanTask).where(PlanTask.no == 28)))
    ideas.submit(proposal, child)
    ideas.publish(proposal, coordinator)
    db.session.commit()
    return proposal, child


def test_public_page_groups_targets_by_area_with_numbers_in_words(client, office):
    confirmed(office, "theme-parks", "housing", Period(2025, 2), 1)
    client.set_cookie("lang", "en")
    page = client.get("/plan/indicators").get_data(as_text=True)
    assert (page.index("1. Child-friendly social policy") < page.index("4. Child-friendly growth spaces")
            < page.index("Parks for children to play in") < page.index("5. Child-friendly development environment"))
    parks = office.indicator("theme-parks")
    card = page[page.index(f'id="indicator-{parks.id}"'):][:1500]
    assert "Now: 1 parks (second half of 2025)" in card and "Target: at least 2 parks by 2025 (50%)" in card
    assert f'<progress class="indicator-bar" max="100" value="50" aria-labelledby="ind-{parks.id}-name"' in card
    assert "Overdue" in card  # the status is a word, not only a colour
    assert "How the status is decided" in page


def test_a_waiting_value_is_not_public_until_confirmed(client, office):
    operations.submit(office.indicator("theme-parks"), office.staff["housing"], period=Period(2025, 2), value=2,
                      note="内部说明", now=at("2026-01-10"))
    db.session.commit()
    parks = office.indicator("theme-parks")
    page = client.get(f"/plan/indicators/{parks.id}").get_data(as_text=True)
    assert "内部说明" not in page and 'id="report-' not in page


def test_the_idea_page_shows_the_targets_of_its_task(client, office, make):
    proposal, child = park_idea(make, office.coordinator)
    confirmed(office, "theme-parks", "housing", Period(2025, 2), 1)
    client.set_cookie("lang", "en")
    page = client.get(f"/ideas/{proposal.id}").get_data(as_text=True)
    assert ("This idea is linked to the target “Child-friendly theme parks (pocket parks)”: at least 2 parks by "
            "2025; now 1 parks.") in page
    client.post("/login", data={"username": child.username, "password": PASSWORD})
    page = client.get(f"/ideas/{proposal.id}").get_data(as_text=True)
    assert "Your idea is linked to the target" in page


def test_the_task_page_links_to_its_targets(client, office):
    parks = office.indicator("theme-parks")
    page = client.get("/plan/tasks/28").get_data(as_text=True)
    assert f'href="/plan/indicators/{parks.id}"' in page and "/plan/indicators#indicator-" in page
    client.set_cookie("lang", "en")
    assert "Targets of this task" in client.get("/plan/tasks/28").get_data(as_text=True)
    assert "Targets of this task" not in client.get("/plan/tasks/1").get_data(as_text=True)


def test_the_api_lists_every_target_with_its_latest_confirmed_value(client, office):
    confirmed(office, "theme-parks", "housing", Period(2025, 2), 1)
    confirmed(office, "theme-parks", "housing", Period(2026, 1), 2)
    body = client.get("/api/v1/plan/indicators").get_json()
    assert body["total"] == len(body["items"]) == 32 and body["page"] == body["pages"] == 1
    parks = next(i for i in body["items"] if i["code"] == "theme-parks")
    assert {k: parks[k] for k in ("task_no", "name", "target", "unit", "comparison", "deadline", "latest_value",
                                  "latest_period", "status")} == {
        "task_no": 28, "name": "儿童友好主题公园（口袋公园）", "target": 2, "unit": "个", "comparison": "at_least",
        "deadline": 2025, "latest_value": 2, "latest_period": "2026-H1", "status": "achieved"}
    assert isinstance(parks["id"], int)
    council = next(i for i in body["items"] if i["code"] == "council-system")
    assert (council["comparison"], council["target"], council["latest_value"]) == ("milestone", None, None)


def test_a_unit_reports_with_a_photo_through_the_form_and_only_adults_who_check_see_it(client, app, office, make):
    parks = office.indicator("theme-parks")
    client.post("/login", data={"username": "housing", "password": PASSWORD})
    photo = encode(two_halves((400, 300)), "JPEG", exif=gps_exif())
    response = client.post(f"/plan/indicators/{parks.id}/reports", data={
        "period": "2026-H1", "value": "2", "note": "第二个口袋公园建成", "evidence": (io.BytesIO(photo), "park.jpg"),
        "evidence_description": "新公园的滑梯"}, content_type="multipart/form-data")
    assert response.status_code == 302
    report = db.session.scalar(select(IndicatorReport))
    assert (report.state, report.value, report.evidence_description) == (ReportState.submitted, 2, "新公园的滑梯")
    from PIL import Image

    with Image.open(Path(app.config["UPLOAD_FOLDER"]) / report.evidence.filename) as stored:
        assert GPS_IFD not in stored.getexif() and not stored.getexif()  # re-encoded: no GPS, no EXIF
    evidence = f"/indicators/evidence/{report.evidence.key}"
    assert client.get(evidence).status_code == 200
    client.post("/logout")
    assert client.get(evidence).status_code == 302
    client.post("/login", data={"username": "edu", "password": PASSWORD})
    assert client.get(evidence).status_code == 404
    assert client.post(f"/plan/indicators/{parks.id}/reports", data={"period": "2026-H1", "value": "3"}
                       ).status_code == 403
    client.post("/logout")
    client.post("/login", data={"username": "coord", "password": PASSWORD})
    assert client.get(evidence + "/thumb").status_code == 200
    client.set_cookie("lang", "en")
    page = client.get("/coordinator/indicators").get_data(as_text=True)
    assert "Values waiting for confirmation (1)" in page and "第二个口袋公园建成" in page
    assert client.post(f"/indicators/reports/{report.id}/confirm", data={"back": "dashboard"}
                       ).headers["Location"].endswith("/coordinator/indicators")
    db.session.refresh(report)
    assert report.state is ReportState.confirmed


def test_bad_input_keeps_what_was_typed(client, office):
    parks = office.indicator("theme-parks")
    client.post("/login", data={"username": "housing", "password": PASSWORD})
    response = client.post(f"/plan/indicators/{parks.id}/reports", data={"period": "2026-H1", "value": "两个",
                                                                          "note": "我写了很长的说明"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "我写了很长的说明" in page and 'value="两个"' in page
    assert db.session.scalar(select(IndicatorReport)) is None


def test_a_returned_value_is_corrected_from_the_desk(client, office):
    report = operations.submit(office.indicator("theme-parks"), office.staff["housing"], period=Period(2026, 1),
                               value=20, now=at("2026-07-10"))
    operations.send_back(report, office.coordinator, "是2个吧？")
    db.session.commit()
    client.post("/login", data={"username": "housing", "password": PASSWORD})
    desk = client.get("/desk/indicators").get_data(as_text=True)
    assert "是2个吧？" in desk and f"correct={report.id}" in desk
    form = client.get(f"/plan/indicators/{report.indicator_id}?correct={report.id}").get_data(as_text=True)
    assert f'name="replaces" type="hidden" value="{report.id}"' in form and 'value="20"' in form
    client.post(f"/plan/indicators/{report.indicator_id}/reports", data={"period": "2026-H1", "value": "2",
                                                                         "replaces": str(report.id)})
    correction = db.session.scalar(select(IndicatorReport).where(IndicatorReport.replaces_id == report.id))
    assert (correction.value, correction.state, report.state) == (2, ReportState.submitted, ReportState.returned)


def test_the_coordinator_dashboard_is_sorted_by_risk(client, office):
    confirmed(office, "theme-parks", "housing", Period(2025, 2), 2)
    confirmed(office, "friendly-routes", "housing", Period(2025, 2), 1)
    client.post("/login", data={"username": "coord", "password": PASSWORD})
    page = client.get("/coordinator/indicators").get_data(as_text=True)
    routes, parks = office.indicator("friendly-routes"), office.indicator("theme-parks")
    assert page.index(f'/plan/indicators/{routes.id}"') < page.index(f'/plan/indicators/{parks.id}"')


def test_the_daily_digest_names_overdue_targets_and_missing_reports(app, office):
    confirmed(office, "theme-parks", "housing", Period(2025, 2), 2)
    confirmed(office, "friendly-routes", "housing", Period(2025, 2), 1)
    operations.submit(office.indicator("caries-rate"), office.staff["health"], period=Period(2025), value=28,
                      now=at("2026-01-20"))
    db.session.commit()
    office.coordinator.locale = "en"  # read the digest in the source sentences
    db.session.commit()
    assert remind(now=at("2026-11-29"))["digests"] == 1
    send_due()  # the digest waits in the outbox until send-mail runs
    mails = [email.message_from_string(p.read_text()) for p in Path(app.config["MAIL_OUTBOX"]).glob("*.eml")]
    bodies = [m.get_payload(decode=True).decode() for m in mails if m["To"] == "coord@example.org"]
    body = next(b for b in bodies if b.startswith("Daily digest"))
    lines = body.splitlines()
    assert any(line.startswith("- Task 27 儿童友好出行道路: Overdue") for line in lines)  # 1 of 3, year over
    assert not any("儿童友好主题公园" in line for line in lines)  # achieved: not a warning
    schools = next(line for line in lines if "新建改扩建中小学" in line)  # nothing confirmed and its year is over
    assert "no value for first half of 2026" in schools
    waiting = next(line for line in lines if "waiting for your confirmation" in line)
    assert waiting.endswith(": 1")  # the caries value


def test_the_plan_coverage_view_links_each_task_to_its_targets(client, office):
    parks = office.indicator("theme-parks")
    page = client.get("/plan/coverage").get_data(as_text=True)
    row = page[page.index('href="/plan/tasks/28"'):][:600]
    assert f'href="/plan/indicators#indicator-{parks.id}"' in row
    assert "/plan/indicators#" not in page[page.index('href="/plan/tasks/1"'):][:300]  # task 1 has none
