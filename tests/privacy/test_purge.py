"""Refusal starts deletion; the purge carries out what is due, deletes unused accounts and stray files."""

from datetime import timedelta

from sqlalchemy import select

from council.accounts.models import Account, ConsentDecision, ConsentMethod
from council.accounts.operations import record_consent
from council.calendar import clock
from council.extensions import db
from council.privacy import operations
from council.privacy.models import DataRequest, RequestChannel, RequestKind, RequestStatus
from council.proposals.models import Proposal
from council.uploads import storage
from council.uploads.models import StoredFile


def _refuse(world, decision=ConsentDecision.withdrawn):
    record_consent(world.author, guardian_name="王建国", relation="父亲", method=ConsentMethod.online,
                   decision=decision, actor=world.teacher)
    db.session.commit()


def test_a_withdrawal_opens_a_deletion_the_purge_carries_out_after_the_grace_period(app, world):
    _refuse(world)
    request = db.session.scalars(select(DataRequest)).one()
    assert request.automatic and request.kind is RequestKind.deletion and request.status is RequestStatus.received
    assert request.channel is RequestChannel.online  # how the consent answer came in
    assert not world.author.active  # switched off at once

    assert operations.purge(now=clock.now() + timedelta(days=6))["requests"] == 0
    db.session.commit()
    assert db.session.get(Account, world.author.id).child_profile is not None  # still correctable

    counts = operations.purge(now=clock.now() + timedelta(days=8))
    db.session.commit()
    assert counts["requests"] == 1
    db.session.expire_all()
    assert db.session.get(DataRequest, request.id).status is RequestStatus.done
    child = db.session.get(Account, world.author.id)
    assert child.child_profile is None and child.display_name == "已注销"
    assert db.session.get(Proposal, world.public_idea.id).authors == []


def test_consent_given_again_cancels_the_automatic_deletion(world):
    _refuse(world, ConsentDecision.refused)
    record_consent(world.author, guardian_name="王建国", relation="父亲", method=ConsentMethod.paper,
                   decision=ConsentDecision.granted, actor=world.teacher)
    db.session.commit()
    request = db.session.scalars(select(DataRequest)).one()
    assert request.status is RequestStatus.cancelled and world.author.active
    assert operations.purge(now=clock.now() + timedelta(days=30))["requests"] == 0
    assert db.session.get(Account, world.author.id).child_profile is not None


def test_refusing_twice_opens_one_deletion(world):
    _refuse(world, ConsentDecision.refused)
    _refuse(world, ConsentDecision.withdrawn)
    assert len(db.session.scalars(select(DataRequest)).all()) == 1


def test_unused_accounts_are_deleted_after_the_retention_period(app, world):
    later = clock.now() + timedelta(days=app.config["CHILD_RETENTION_DAYS"] + 1)
    world.other_child.last_login_at = later - timedelta(days=3)  # signed in recently
    db.session.commit()
    counts = operations.purge(now=later)
    db.session.commit()
    assert counts["inactive"] == 3  # author, sibling and the child still waiting for consent
    db.session.expire_all()
    assert db.session.get(Account, world.author.id).child_profile is None
    assert db.session.get(Account, world.other_child.id).child_profile is not None
    request = db.session.scalars(select(DataRequest).where(DataRequest.child_id == world.author.id)).one()
    assert request.channel is RequestChannel.platform and request.status is RequestStatus.done


def test_a_young_adult_long_grown_up_is_deleted(app, world):
    world.other_child.child_profile.birth_year = clock.today().year - 25
    world.other_child.last_login_at = clock.now()
    db.session.commit()
    counts = operations.purge()
    db.session.commit()
    assert (counts["grown_up"], counts["inactive"]) == (1, 0)
    assert db.session.get(Account, world.other_child.id).child_profile is None


def test_files_nothing_refers_to_are_removed_a_day_later(world):
    idea = world.draft_idea
    stored = world.draft_picture
    path = storage.path_of(stored)
    idea.attachments.clear()  # the child took the picture off again
    db.session.commit()
    stray = storage.upload_folder() / "0123456789abcdef.jpg"
    stray.write_bytes(b"left over")
    assert operations.purge()["files"] == 0  # too fresh: it may be an upload being saved
    db.session.commit()
    later = clock.now() + timedelta(days=2)
    import os

    os.utime(stray, (later.timestamp() - 3600 * 30, later.timestamp() - 3600 * 30))
    dry = operations.purge(now=later, dry_run=True)
    db.session.rollback()
    assert (dry["files"], dry["stray_files"]) == (1, 1) and path.exists() and stray.exists()
    operations.purge(now=later)
    db.session.commit()
    assert db.session.get(StoredFile, stored.id) is None
    assert not path.exists() and not stray.exists()
    assert storage.path_of(world.public_picture).exists()


def test_the_purge_command_prints_a_summary(app, runner, world):
    _refuse(world)
    assert "0 requested deletions" in runner.invoke(args=["purge", "--dry-run"]).output
    request = db.session.scalars(select(DataRequest)).one()
    request.due_at = clock.now() - timedelta(minutes=1)
    db.session.commit()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and "would delete: 1 requested deletions" in dry.output
    db.session.expire_all()
    assert db.session.get(DataRequest, request.id).status is RequestStatus.received
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "deleted: 1 requested deletions" in result.output
    db.session.expire_all()
    assert db.session.get(DataRequest, request.id).status is RequestStatus.done
