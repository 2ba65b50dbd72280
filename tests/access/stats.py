"""Statistics, plan coverage, annual report and downloads in the authorization matrix (tests/test_access.py)."""

from council.calendar import clock

EVERYONE = {"admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher", "unit_edu",
            "unit_traffic", "child", "member", "child_waiting", "teen"}

RULES = {
    "/stats", "/plan/coverage", "/report", "/report/<int:year>", "/report/<int:year>.pdf", "/open-data/ideas.csv",
    "/stats/export/<dataset>.<fmt>", "/api/v1/openapi.json",
}


def pages() -> dict[str, tuple[set[str], int, int]]:
    year = clock.today().year
    return {
        "/stats": (EVERYONE, 200, 200),
        "/plan/coverage": (EVERYONE, 200, 200),
        f"/report/{year}": (EVERYONE, 200, 200),
        f"/report/{year}.pdf": (EVERYONE, 200, 200),
        "/open-data/ideas.csv": (EVERYONE, 200, 200),
        "/api/v1/openapi.json": (EVERYONE, 200, 200),
        f"/stats/export/ideas.csv?year={year}": ({"coordinator", "admin"}, 403, 302),
        f"/stats/export/units.xlsx?year={year}": ({"coordinator", "admin"}, 403, 302),
    }
