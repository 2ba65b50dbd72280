"""Demo content for help requests and content flags; only on the first run."""

from __future__ import annotations

from sqlalchemy import select

from council.accounts.operations import find_account
from council.extensions import db


def seed_demo_reports(councils) -> None:
    """One open help request from kid01 of the 大街 demo school, and one public idea with one flag (not hidden)."""
    from council.proposals.models import Proposal
    from council.reports import operations
    from council.reports.models import ContentFlag, FlagReason, HelpKind, HelpRequest
    from council.reports.targets import TARGETS

    kid = find_account("kid01")
    if kid is not None and db.session.scalar(select(HelpRequest.id).limit(1)) is None:
        operations.ask_for_help(kid, HelpKind.adult, "课间有几个高年级同学总是拿走我的跳绳，我不敢告诉他们。", "/me",
                                "demo-help-request-kid01")
    reporter = find_account("kid04")
    study = db.session.scalar(select(Proposal).where(Proposal.title == "社区里需要中学生自习室"))
    if reporter is not None and study is not None and db.session.scalar(select(ContentFlag.id).limit(1)) is None:
        operations.flag(reporter, TARGETS["proposal"], study, FlagReason.not_true, "活动室周末其实是开着的。")
