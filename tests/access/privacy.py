"""This feature's rows in the authorization matrix (tests/test_access.py).

``pages()`` runs with the demo loaded and returns {concrete path: (accounts that get 200, what other signed-in
accounts get, what a visitor gets)}; ``RULES`` lists the url rules these paths (or other tests, named in a
comment) cover."""

from sqlalchemy import select

from council.extensions import db

RULES: set[str] = {
    "/privacy/children", "/privacy/guardians", "/privacy/requests", "/children/<int:child_id>/data-requests/new",
    "/privacy/requests/<int:request_id>", "/privacy/requests/<int:request_id>/export.zip",
    "/audit", "/audit/export.csv",
}

EVERYONE = {"admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher",
            "unit_edu", "unit_traffic", "child", "member", "child_waiting", "teen"}
# Those reaching the demo school's children: its teacher, 大街's facilitator, the coordinating office, the admin.
SCHOOL_STAFF = {"teacher", "facilitator", "coordinator", "admin"}


def pages() -> dict[str, tuple[set[str], int, int]]:
    from council.accounts.operations import find_account
    from council.privacy.models import DataRequest, RequestKind

    export = db.session.scalar(select(DataRequest.id).where(DataRequest.kind == RequestKind.export))  # kid08's
    waiting = find_account("child_waiting")  # a child of the demo school
    return {
        "/privacy/children": (EVERYONE, 200, 200),
        "/privacy/guardians": (EVERYONE, 200, 200),
        "/privacy/requests": ({"teacher", "facilitator", "facilitator2", "facilitator_community", "coordinator",
                               "admin"}, 403, 302),
        f"/children/{waiting.id}/data-requests/new": (SCHOOL_STAFF, 404, 302),  # as if the child did not exist
        "/children/999999/data-requests/new": (set(), 404, 302),
        f"/privacy/requests/{export}": (SCHOOL_STAFF, 404, 302),
        f"/privacy/requests/{export}/export.zip": (SCHOOL_STAFF, 404, 302),
        "/privacy/requests/999999": (set(), 404, 302),
        "/audit": ({"coordinator", "admin"}, 403, 302),
        "/audit?action=signed_in&actor=teacher": ({"coordinator", "admin"}, 403, 302),
        "/audit/export.csv": ({"coordinator", "admin"}, 403, 302),
    }
