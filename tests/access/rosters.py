"""This feature's rows in the authorization matrix (tests/test_access.py).

``pages()`` runs with the demo loaded and returns {concrete path: (accounts that get 200, what other signed-in
accounts get, what a visitor gets)}; ``RULES`` lists the url rules these paths (or other tests, named in a
comment) cover."""

from sqlalchemy import select

RULES: set[str] = {
    "/classes", "/classes/template.csv", "/classes/<int:class_id>", "/classes/<int:class_id>/cards",
    "/kids", "/kids/<code>", "/kids/<code>/<int:sign_in_id>", "/guardian/consent", "/guardian/consent/<token>",
    "/account/password",
    # a preview needs an uploaded file: tests/rosters/test_views.py opens it as its teacher and as others
    "/classes/<int:class_id>/imports/<token>",
}

ACCOUNTS = {"admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher",
            "unit_edu", "unit_traffic", "child", "member", "child_waiting", "teen"}
CHILDREN = {"child", "member", "child_waiting", "teen"}
TEACHERS = {"teacher", "facilitator", "facilitator2", "facilitator_community", "coordinator", "admin"}
# The demo class is in the 大街 demo school: its teacher, the 大街 facilitator and the district office.
DEMO_CLASS = {"teacher", "facilitator", "coordinator", "admin"}


def pages() -> dict[str, tuple[set[str], int, int]]:
    from council.accounts.operations import find_account
    from council.demo.rosters import DEMO_CLASS_CODE
    from council.extensions import db
    from council.rosters.models import ChildSignIn, ClassGroup

    group = db.session.scalar(select(ClassGroup).where(ClassGroup.code == DEMO_CLASS_CODE))
    tile = db.session.scalar(select(ChildSignIn.id).where(ChildSignIn.account_id == find_account("kid01").id))
    return {
        "/classes": (TEACHERS, 403, 302),
        "/classes/template.csv": (TEACHERS, 403, 302),
        f"/classes/{group.id}": (DEMO_CLASS, 404, 302),  # a class is its teachers' only: as if it did not exist
        f"/classes/{group.id}/cards": (DEMO_CLASS, 404, 302),
        "/kids": (ACCOUNTS, 200, 200),
        f"/kids/{DEMO_CLASS_CODE}": (ACCOUNTS, 200, 200),
        f"/kids/{DEMO_CLASS_CODE}/{tile}": (ACCOUNTS, 200, 200),
        "/guardian/consent": (ACCOUNTS, 200, 200),
        "/guardian/consent/NOSUCHCODE12": (set(), 404, 404),
        "/account/password": (ACCOUNTS - CHILDREN, 403, 302),
    }
