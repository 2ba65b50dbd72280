"""This feature's rows in the authorization matrix (tests/test_access.py).

``pages()`` runs with the demo loaded and returns {concrete path: (accounts that get 200, what other signed-in
accounts get, what a visitor gets)}; ``RULES`` lists the url rules these paths (or other tests, named in a
comment) cover."""

from sqlalchemy import select

from council.extensions import db

EVERYONE = {"admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher",
            "unit_edu", "unit_traffic", "child", "member", "child_waiting", "teen"}
OFFICE = {"coordinator", "admin"}

RULES: set[str] = {
    "/plan/indicators", "/plan/indicators/<int:indicator_id>", "/desk/indicators", "/coordinator/indicators",
    "/api/v1/plan/indicators", "/indicators/evidence/<key>", "/indicators/evidence/<key>/thumb",
}


def pages() -> dict[str, tuple[set[str], int, int]]:
    from council.indicators.models import Indicator, IndicatorReport

    routes = db.session.scalar(select(Indicator).where(Indicator.code == "friendly-routes"))
    # The demo's waiting report of 周村交警大队 carries a photo: only the units responsible for the
    # target (周村交警大队 among them) and the office see it; to anyone else it does not exist.
    photo = db.session.scalar(select(IndicatorReport).where(IndicatorReport.indicator_id == routes.id,
                                                            IndicatorReport.evidence_id.is_not(None))).evidence
    return {
        "/plan/indicators": (EVERYONE, 200, 200),
        f"/plan/indicators/{routes.id}": (EVERYONE, 200, 200),
        "/api/v1/plan/indicators": (EVERYONE, 200, 200),
        "/desk/indicators": ({"unit_edu", "unit_traffic"}, 403, 302),
        "/coordinator/indicators": (OFFICE, 403, 302),
        f"/indicators/evidence/{photo.key}": (OFFICE | {"unit_traffic"}, 404, 302),
        f"/indicators/evidence/{photo.key}/thumb": (OFFICE | {"unit_traffic"}, 404, 302),
    }
