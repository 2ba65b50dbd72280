"""Demo content for guardians' data requests: one answered export, one deletion waiting; only on the first run."""

from __future__ import annotations

from sqlalchemy import select

from council.accounts.operations import find_account
from council.extensions import db
from council.privacy import operations
from council.privacy.models import DataRequest, RequestChannel, RequestKind


def seed_demo_privacy(councils) -> None:
    if db.session.scalar(select(DataRequest.id).limit(1)) is not None:
        return
    teacher, kid08, kid09 = find_account("teacher"), find_account("kid08"), find_account("kid09")
    if None in (teacher, kid08, kid09):
        return
    export = operations.record_request(kid08, teacher, kind=RequestKind.export, requester_name="示例家长",
                                       relation="母亲", channel=RequestChannel.in_person,
                                       note="家长带户口本来学校，核对过身份。")
    operations.carry_out(export, teacher)
    operations.record_request(kid09, teacher, kind=RequestKind.deletion, requester_name="示例家长",
                              relation="父亲", channel=RequestChannel.paper, note="书面申请，已交给班主任。")
