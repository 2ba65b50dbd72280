"""This feature's rows in the authorization matrix (tests/test_access.py).

``pages()`` runs with the demo loaded and returns {concrete path: (accounts that get 200, what other signed-in
accounts get, what a visitor gets)}; ``RULES`` lists the url rules these paths (or other tests, named in a
comment) cover."""

from sqlalchemy import select

from council.extensions import db

RULES: set[str] = {"/help", "/help/sent", "/help/mine", "/help-requests", "/help-requests/<int:request_id>",
                   "/flags", "/flags/<target_type>/<int:target_id>"}

EVERYONE = {"admin", "coordinator", "facilitator", "facilitator2", "facilitator_community", "teacher",
            "unit_edu", "unit_traffic", "child", "member", "child_waiting", "teen"}
REVIEWERS = {"facilitator", "facilitator2", "facilitator_community", "coordinator", "admin"}


def pages() -> dict[str, tuple[set[str], int, int]]:
    from council.proposals.models import Proposal
    from council.reports.models import HelpRequest

    demo_request = db.session.scalar(select(HelpRequest.id).order_by(HelpRequest.id))  # kid01, 大街 demo school
    study = db.session.scalar(select(Proposal.id).where(Proposal.title == "社区里需要中学生自习室"))  # by teen
    return {
        "/help": (EVERYONE, 200, 200),
        "/help?from=/ideas/": (EVERYONE, 200, 200),
        "/help/sent": (EVERYONE, 200, 200),
        "/help/mine": (EVERYONE, 200, 302),
        "/help-requests": (REVIEWERS, 403, 302),
        f"/help-requests/{demo_request}": ({"facilitator", "coordinator", "admin"}, 404, 302),
        "/help-requests/999999": (set(), 404, 302),
        "/flags": (REVIEWERS, 403, 302),
        f"/flags/proposal/{study}": (EVERYONE - {"teen"}, 403, 302),  # its author cannot report it
        "/flags/proposal/999999": (set(), 404, 302),
        "/flags/campaign_entry/1": (set(), 404, 302),  # no adapter registered under that name
    }
