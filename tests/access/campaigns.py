"""This feature's rows in the authorization matrix (tests/test_access.py).

``pages()`` runs with the demo loaded and returns {concrete path: (accounts that get 200, what other signed-in
accounts get, what a visitor gets)}; ``RULES`` lists the url rules these paths (or other tests, named in a
comment) cover."""

from sqlalchemy import select

from council.extensions import db

RULES: set[str] = {
    "/campaigns/", "/campaigns/new", "/campaigns/<int:campaign_id>", "/campaigns/<int:campaign_id>/edit",
    "/campaigns/<int:campaign_id>/review", "/campaigns/<int:campaign_id>/enter", "/campaigns/<int:campaign_id>/jury",
    "/campaigns/<int:campaign_id>/results", "/campaigns/<int:campaign_id>/export.zip",
    "/campaigns/<int:campaign_id>/phase", "/campaigns/<int:campaign_id>/poster",
    "/campaigns/entries/<int:entry_id>", "/campaigns/entries/<int:entry_id>/edit",
    "/campaigns/entries/<int:entry_id>/certificate", "/my/entries",
    "/api/v1/campaigns", "/api/v1/campaigns/<int:campaign_id>",
}

EVERYONE = {"admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher", "unit_edu",
            "unit_traffic", "child", "member", "child_waiting", "teen"}
CHILDREN = {"child", "member", "child_waiting", "teen"}


def pages() -> dict[str, tuple[set[str], int, int]]:
    from council.campaigns.models import Campaign, Entry, EntryState

    logo = db.session.scalar(select(Campaign).where(Campaign.kind == "logo"))  # district, results
    drawing = db.session.scalar(select(Campaign).where(Campaign.kind == "drawing"))  # 大街 demo school, open
    winner = db.session.scalar(select(Entry).where(Entry.campaign_id == logo.id, Entry.rank == 1))
    pending = db.session.scalar(select(Entry).where(Entry.campaign_id == drawing.id,
                                                    Entry.state == EntryState.pending))
    school_organisers = {"facilitator", "coordinator", "admin"}
    return {
        "/campaigns/": (EVERYONE, 200, 200),
        "/campaigns/new": ({"coordinator", "admin", "facilitator", "facilitator2", "facilitator_community"}, 403, 302),
        f"/campaigns/{logo.id}": (EVERYONE, 200, 200),
        f"/campaigns/{drawing.id}/poster": (EVERYONE, 200, 200),
        f"/campaigns/{drawing.id}": (EVERYONE, 200, 200),
        f"/campaigns/{drawing.id}/edit": (school_organisers, 403, 302),
        f"/campaigns/{drawing.id}/review": (school_organisers, 403, 302),
        f"/campaigns/{drawing.id}/phase": (school_organisers, 403, 302),
        f"/campaigns/{drawing.id}/enter": (CHILDREN | {"teacher", "facilitator", "admin"}, 403, 302),
        f"/campaigns/{drawing.id}/jury": ({"facilitator", "teacher"}, 403, 302),
        f"/campaigns/{logo.id}/results": (EVERYONE, 200, 200),
        f"/campaigns/{drawing.id}/results": (set(), 404, 404),
        f"/campaigns/{logo.id}/export.zip": ({"coordinator", "admin"}, 403, 302),
        f"/campaigns/entries/{winner.id}": (EVERYONE, 200, 200),
        f"/campaigns/entries/{winner.id}/certificate": (EVERYONE, 200, 200),
        f"/campaigns/entries/{pending.id}": (school_organisers | {"teacher"}, 404, 404),
        f"/campaigns/entries/{pending.id}/edit": (school_organisers | {"teacher"}, 404, 302),
        "/my/entries": (EVERYONE, 200, 302),
        "/api/v1/campaigns": (EVERYONE, 200, 200),
        f"/api/v1/campaigns/{logo.id}": (EVERYONE, 200, 200),
    }
