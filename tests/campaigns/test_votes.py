"""The public vote: signed-in children who can act, within the limit, once per work, exact under parallel clicks,
taken back while voting is open, throttled."""


import pytest
from sqlalchemy import func, select

from council.campaigns import operations
from council.campaigns.models import CampaignVote, Phase
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from tests.concurrency import parallel
from tests.conftest import PASSWORD


@pytest.fixture
def voting(world):
    campaign = world.campaign(votes_per_child=2)
    works = [world.entry(campaign, kid, title=f"Work {i}") for i, kid in enumerate(world.kids[:3])]
    world.to_phase(campaign, Phase.voting)
    return campaign, works


def test_children_vote_once_per_work_and_can_take_it_back(world, voting):
    campaign, works = voting
    voter = world.teen
    assert operations.vote(works[0], voter) is True
    assert operations.vote(works[0], voter) is False
    assert works[0].votes == 1
    assert operations.unvote(works[0], voter) is True
    assert operations.unvote(works[0], voter) is False
    assert works[0].votes == 0


def test_the_vote_limit_holds_and_a_vote_taken_back_can_be_given_again(world, voting):
    campaign, works = voting
    voter = world.teen
    operations.vote(works[0], voter)
    operations.vote(works[1], voter)
    with pytest.raises(DomainError) as refused:
        operations.vote(works[2], voter)
    assert "used all your 2 votes" in refused.value.message
    operations.unvote(works[0], voter)
    assert operations.vote(works[2], voter) is True


def test_who_cannot_vote(world, voting):
    campaign, works = voting
    with pytest.raises(DomainError):
        operations.vote(works[0], world.kids[0])  # their own work
    with pytest.raises(PermissionDenied):
        operations.vote(works[0], world.teacher)
    with pytest.raises(DomainError):
        operations.vote(works[0], world.waiting)  # no guardian consent yet


def test_votes_only_while_voting_is_open(world, voting):
    campaign, works = voting
    operations.vote(works[0], world.teen)
    with pytest.raises(DomainError):
        operations.vote(works[1], world.teen, today=campaign.judging_from)
    operations.move_on(campaign, world.coordinator, Phase.judging)
    with pytest.raises(DomainError):
        operations.vote(works[1], world.teen)
    with pytest.raises(DomainError):
        operations.unvote(works[0], world.teen)


def test_a_council_campaign_is_voted_by_its_own_children(world):
    campaign = world.campaign(world.community_a)
    work = world.entry(campaign, world.kids[0])
    world.to_phase(campaign, Phase.voting)
    with pytest.raises(PermissionDenied):
        operations.vote(work, world.far_kid)


def test_parallel_votes_keep_an_exact_count(app, world, make, voting):
    campaign, works = voting
    fans = [make.child(world.community_a, username=f"fan{i}") for i in range(6)]
    db.session.commit()
    clients = []
    for fan in [*fans, fans[0], fans[0]]:  # the first fan taps three times at once
        client = app.test_client()
        client.post("/login", data={"username": fan.username, "password": PASSWORD})
        clients.append(client)
    url = f"/campaigns/entries/{works[0].id}/vote"
    statuses = parallel([lambda c=c: c.post(url, data={"action": "add"}).status_code for c in clients])
    assert all(s == 302 for s in statuses), statuses
    db.session.expire_all()
    rows = db.session.scalar(select(func.count()).select_from(CampaignVote).where(CampaignVote.entry_id == works[0].id))
    assert rows == 6
    db.session.refresh(works[0])
    assert works[0].votes == 6


def test_the_gallery_shows_the_vote_button_and_hides_counts_until_the_results(world, voting, client):
    campaign, works = voting
    operations.vote(works[0], world.teen)
    db.session.commit()
    client.post("/login", data={"username": world.teen.username, "password": PASSWORD})
    page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "You have 1 vote left." in page and "Take back my vote" in page
    assert "1 vote</span>" not in page  # counts stay hidden while children vote
    response = client.post(f"/campaigns/entries/{works[1].id}/vote", data={"action": "add"}, follow_redirects=True)
    assert "Thank you for your vote!" in response.get_data(as_text=True)
    response = client.post(f"/campaigns/entries/{works[2].id}/vote", data={"action": "add"}, follow_redirects=True)
    assert "used all your 2 votes" in response.get_data(as_text=True)


def test_voting_is_throttled_per_child(own_app):
    app = own_app(RATELIMIT_ENABLED=True, CAMPAIGN_VOTE_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        statuses = [client.post("/campaigns/entries/999999/vote").status_code for _ in range(4)]
    assert statuses[-1] == 429 and 429 not in statuses[:3]


def test_a_vote_reads_the_childs_votes_once_after_queueing_and_a_second_tap_counts_nothing(world, voting):
    """Issue 18's writes: the child's votes are read once, after the row lock that queues the child's taps; the
    same work voted for again is no second vote, even with no vote left."""
    from tests.test_planner import statements

    campaign, works = voting
    assert operations.vote(works[0], world.teen) is True
    with statements(db.engine) as seen:
        assert operations.vote(works[1], world.teen) is True
    assert sum(1 for s in seen if s.startswith("SELECT") and "campaign_votes" in s.split("WHERE")[0]) == 1, seen
    assert operations.vote(works[1], world.teen) is False  # the limit is reached, and this one counts already
    with pytest.raises(DomainError):
        operations.vote(works[2], world.teen)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CampaignVote)) == 2
