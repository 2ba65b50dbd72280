"""Demo content for plan indicators and unit reports; only on the first run.

Values are reported and confirmed through the same operations the pages use, at dates after each period ended:
most targets have confirmed values (some achieved, some overdue), 周村交警大队 has a value waiting for the
coordinating office, 区卫生健康局 once had a value sent back and corrected, and the 2026 first-half value of the
reading spaces is missing (a report overdue)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from council.accounts import operations as accounts
from council.calendar import clock
from council.extensions import db
from council.indicators import operations
from council.indicators.models import Indicator, IndicatorReport, Period
from council.units.models import Unit

# Staff for the units that report on targets but have no demo account in council/demo/district.py.
MORE_UNIT_STAFF = {
    "unit_women": "区妇联", "unit_civil": "区民政局", "unit_disabled": "区残联机关", "unit_office": "区妇儿工委办公室",
}
# code: (account, [(period, value or done, returned with this reason)])
HISTORY: dict[str, tuple[str, list]] = {
    "council-system": ("unit_women", [("2025-H2", True)]),
    "childcare-places": ("unit_health", [("2023", 3.2), ("2024", 3.8), ("2025", 4.1)]),
    "inclusive-kindergartens": ("unit_edu", [("2024", 88), ("2025", 91.5)]),
    "public-kindergarten-share": ("unit_edu", [("2025", 61)]),
    "provincial-kindergartens": ("unit_edu", [("2025", 63)]),
    "new-schools": ("unit_edu", [("2023-H2", 1), ("2024-H2", 3), ("2025-H2", 5)]),
    "after-school-coverage": ("unit_edu", [("2025", 100)]),
    "bachelor-teachers": ("unit_edu", [("2025", 93.2)]),
    "paediatricians": ("unit_health", [("2025", 0.86)]),
    "paediatric-beds": ("unit_health", [("2025", 1.9)]),
    "myopia-rate": ("unit_health", [("2023", 52.0), ("2024", 50.6),
                                    ("2025", 39.0, "这是小学生的近视率吧？请报全区儿童的总体近视率。"),
                                    ("2025", 49.3)]),
    "oral-care-coverage": ("unit_health", [("2025", 96)]),
    "caries-rate": ("unit_health", [("2023", 34.5), ("2025", 28.7)]),
    "counselling-rooms": ("unit_edu", [("2025-H2", True)]),
    "counselling-coverage": ("unit_edu", [("2025", 100)]),
    "daily-exercise": ("unit_edu", [("2025", 1)]),
    "sport-skills": ("unit_edu", [("2025", 1.6)]),
    "fitness-good-rate": ("unit_edu", [("2025", 52.3)]),
    "fitness-pass-rate": ("unit_edu", [("2025", 96.1)]),
    "child-supervisors": ("unit_civil", [("2025-H2", 100)]),
    "child-directors": ("unit_civil", [("2025-H2", 97.5), ("2026-H1", 100)]),
    "hope-rooms": ("unit_civil", [("2023-H2", True)]),
    "cerebral-palsy-aid": ("unit_disabled", [("2024", 100)]),
    "friendly-blocks": ("unit_office", [("2024-H2", 2), ("2025-H2", 4)]),
    "friendly-communities": ("unit_office", [("2025-H2", True)]),
    "friendly-schools": ("unit_edu", [("2025-H2", False), ("2026-H1", False)]),
    "friendly-hospitals": ("unit_health", [("2025-H2", True)]),
    "friendly-routes": ("unit_traffic", [("2024-H2", 1), ("2025-H2", 2), ("2026-H1", 2)]),
    "theme-parks": ("unit_city", [("2024-H2", 1), ("2025-H2", 1), ("2026-H1", 1)]),
    "sports-grounds": ("unit_culture", [("2023-H1", 5), ("2023-H2", 12)]),
    "reading-spaces": ("unit_culture", [("2024-H2", 1), ("2025-H2", 2)]),  # 2026-H1 missing: report overdue
    "family-education-sessions": ("unit_edu", [("2025-H2", 2), ("2026-H1", 2)]),
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def _demo_photo() -> bytes:
    """A drawn picture (no people) standing in for a photo of a finished road."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (170, 210, 170))
    draw = ImageDraw.Draw(image)
    draw.polygon([(250, 400), (390, 400), (340, 120), (300, 120)], fill=(90, 90, 95))
    for y in range(140, 400, 40):
        draw.rectangle([(316, y), (324, y + 20)], fill=(250, 250, 250))
    draw.rectangle([(0, 0), (640, 120)], fill=(150, 200, 240))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_demo_indicators(councils) -> None:
    if db.session.scalar(select(IndicatorReport.id).limit(1)) is not None:
        return
    units = {u.name: u for u in db.session.scalars(select(Unit))}
    for username, unit_name in MORE_UNIT_STAFF.items():
        account = accounts.find_account(username)
        if account is None:
            from council.demo.district import DEMO_PASSWORD

            account = accounts.create_adult(username, DEMO_PASSWORD, f"{unit_name} 工作人员",
                                            email=f"{username}@example.org")
            accounts.add_unit_staff(account, units[unit_name], starts_on=date(clock.today().year - 1, 1, 1))
    db.session.flush()
    coordinator = accounts.find_account("coordinator")
    indicators = {i.code: i for i in db.session.scalars(select(Indicator).where(Indicator.active.is_(True)))}
    yesterday = clock.today() - timedelta(days=1)
    for code, (username, history) in HISTORY.items():
        indicator, staff = indicators[code], accounts.find_account(username)
        for period_code, answer, *returned in history:
            period = Period.parse(period_code)
            reported_on = min(period.end + timedelta(days=20), yesterday)
            if period.start > yesterday:
                continue
            value, done = (None, answer) if isinstance(answer, bool) else (float(answer), None)
            replaces = next((r for r in reversed(indicator.reports) if r.period == period
                             and r.state.value == "returned"), None)
            report = operations.submit(indicator, staff, period=period, value=value, done=done,
                                       note="按统计口径汇总。", replaces=replaces, now=_at(reported_on))
            decided = _at(min(reported_on + timedelta(days=5), yesterday))
            if returned:
                operations.send_back(report, coordinator, returned[0], now=decided)
            else:
                operations.confirm(report, coordinator, now=decided)
            db.session.flush()
    _waiting_route(indicators["friendly-routes"])


def _waiting_route(indicator: Indicator) -> None:
    """周村交警大队 reports the third route for the current period, with a photo; it waits for the office."""
    from council.uploads import storage
    from council.uploads.images import process_image

    staff = accounts.find_account("unit_traffic")
    now = _at(clock.today() - timedelta(days=2))
    period = operations.reportable_periods(indicator, now.date())[0]
    photo = storage.store_image(process_image(_demo_photo()), staff)
    operations.submit(indicator, staff, period=period, value=3, now=now, evidence=photo,
                      evidence_description="第三条儿童友好出行道路：示例小学东路，新画的斑马线和减速标志",
                      note="示例小学东路完成适儿化改造：人行横道、隔离护栏、学校区域限速标志。")
