"""The blind jury, the published formula and its tie rule, results, certificates, the export and the JSON."""

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from council.audit.models import Event
from council.campaigns import operations
from council.campaigns.models import Phase
from council.errors import DomainError, PermissionDenied
from council.extensions import db
from tests.campaigns.conftest import RUBRIC, fetch
from tests.conftest import PASSWORD


def login(client, account):
    client.post("/login", data={"username": account.username, "password": PASSWORD})


def test_the_formula_as_published():
    assert operations.juror_total(RUBRIC, [10, 5]) == pytest.approx(80.0)  # (60×10 + 40×5) / 100 × 10
    assert operations.final_score(70, 80.0, 5, 10) == pytest.approx(0.7 * 80 + 0.3 * 50)
    assert operations.final_score(70, 80.0, 0, 0) == pytest.approx(56.0)  # nobody voted: the public part is 0
    assert operations.final_score(100, 64.0, 9, 9) == pytest.approx(64.0)


@pytest.fixture
def judged(world):
    """Three works in the 9–11 group, half jury and half public vote; A has both votes."""
    campaign = world.campaign(jury_weight=50, winners_per_group=2, votes_per_child=3)
    a, b, c = (world.entry(campaign, kid, title=f"Work {n}") for n, kid in zip("ABC", world.kids[:3], strict=True))
    world.to_phase(campaign, Phase.voting)
    for voter in (world.teen, world.kids[3]):
        operations.vote(a, voter)
    world.to_phase(campaign, Phase.judging)
    operations.score(a, world.juror, [6, 6])
    operations.score(b, world.juror, [10, 10])
    operations.score(c, world.juror, [2, 2])
    operations.score(c, world.juror2, [4, 4])
    return campaign, a, b, c


def test_ranking_follows_the_published_formula(world, judged):
    campaign, a, b, c = judged
    group = operations.standings(campaign)["9–11"]
    # a: 0.5×60 + 0.5×100 = 80; b: 0.5×100 + 0 = 50; c: jury mean of 20 and 40 = 30 → 15
    assert [(s.entry.title, s.final, s.rank) for s in group] == [("Work A", 80.0, 1), ("Work B", 50.0, 2),
                                                                 ("Work C", 15.0, 3)]
    assert group[2].jury == 30.0 and group[2].jurors == 2


def test_equal_finals_go_to_the_higher_jury_score_then_to_the_earlier_work(world):
    campaign = world.campaign(jury_weight=50, winners_per_group=3)
    first, second, third = (world.entry(campaign, kid, title=f"W{i}") for i, kid in enumerate(world.kids[:3]))
    world.to_phase(campaign, Phase.voting)
    operations.vote(second, world.teen)
    world.to_phase(campaign, Phase.judging)
    operations.score(first, world.juror, [10, 10])  # 0.5×100 + 0 = 50
    operations.score(second, world.juror, [0, 0])  # 0 + 0.5×100 = 50
    operations.score(third, world.juror, [10, 10])  # 50, same jury score as first, sent later
    group = operations.standings(campaign)["9–11"]
    assert [s.final for s in group] == [50.0, 50.0, 50.0]
    assert [s.entry for s in group] == [first, third, second]


def test_scores_are_for_jurors_in_the_judging_phase_and_can_change(world, judged):
    campaign, a, b, c = judged
    with pytest.raises(PermissionDenied):
        operations.score(a, world.coordinator, [5, 5])
    with pytest.raises(DomainError):
        operations.score(a, world.juror, [11, 5])
    with pytest.raises(DomainError):
        operations.score(a, world.juror, [5])
    row = operations.score(a, world.juror, [9, 9])
    assert row.total == 90.0 and row.marks == [9, 9]
    with pytest.raises(DomainError):
        operations.score(a, world.juror, [5, 5], today=campaign.results_from)


def test_the_jury_page_shows_no_author_identity(world, judged, client):
    campaign, a, b, c = judged
    db.session.commit()
    login(client, world.juror)
    page = client.get(f"/campaigns/{campaign.id}/jury").get_data(as_text=True)
    assert "Work B-01" in page and "Work A" in page
    for kid in world.kids[:3]:
        profile = kid.child_profile
        for secret in (kid.display_name, kid.username, profile.real_name, profile.home_council.name,
                       f"/campaigns/entries/{a.id}"):
            assert secret not in page, secret
    assert world.community_a.name not in page
    response = client.post(f"/campaigns/{campaign.id}/jury/{a.code}", data={"mark-0": "7", "mark-1": "8"},
                           follow_redirects=True)
    assert "Scores saved" in response.get_data(as_text=True)
    db.session.expire_all()
    assert operations.my_scores(campaign, world.juror)[a.id].marks == [7, 8]
    client.post("/logout")
    login(client, world.teacher)
    assert client.get(f"/campaigns/{campaign.id}/jury").status_code == 403


def test_results_fix_the_places_and_winners_get_a_certificate(world, judged, client):
    campaign, a, b, c = judged
    assert client.get(f"/campaigns/{campaign.id}/results").status_code == 404
    operations.move_on(campaign, world.coordinator, Phase.results)
    db.session.commit()
    assert (a.rank, b.rank, c.rank) == (1, 2, 3) and a.is_winner and b.is_winner and not c.is_winner
    page = client.get(f"/campaigns/{campaign.id}/results").get_data(as_text=True)
    assert "Work A" in page and "Work B" in page and "Work C" not in page
    assert world.kids[0].child_profile.real_name not in page
    certificate = client.get(f"/campaigns/entries/{a.id}/certificate").get_data(as_text=True)
    assert world.kids[0].display_name in certificate and "Place 1, ages 9–11" in certificate
    assert world.kids[0].child_profile.real_name not in certificate
    assert client.get(f"/campaigns/entries/{c.id}/certificate").status_code == 404
    assert "2 votes" in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)  # counts are public now


def test_export_zip_has_the_approved_files_and_their_details(world, judged, client):
    campaign, a, b, c = judged
    hidden = world.campaign(title="Other")
    world.entry(hidden, world.kids[0])
    operations.move_on(campaign, world.coordinator, Phase.results)
    db.session.commit()
    login(client, world.facilitator)
    assert fetch(client, f"/campaigns/{campaign.id}/export.zip")[0] == 403
    client.post("/logout")
    login(client, world.coordinator)
    client.set_cookie("lang", "en")  # the table's headings and words are in the organiser's language
    status, data = fetch(client, f"/campaigns/{campaign.id}/export.zip")
    assert status == 200
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["entries.csv", "entries/B-01.png", "entries/B-02.png", "entries/B-03.png"]
    rows = list(csv.DictReader(io.StringIO(archive.read("entries.csv").decode("utf-8-sig"))))
    first = next(r for r in rows if r["Entry code"] == a.code)
    assert first["Nickname"] == world.kids[0].display_name and first["Council"] == world.community_a.name
    assert (first["Votes"], first["Final score"], first["Rank"], first["Status"]) == ("2", "80.0", "1", "Winner")
    assert first["Guardian consent"] in ("Yes", "No")
    assert all(world.kids[0].child_profile.real_name not in r.values() for r in rows)
    assert db.session.scalar(select(Event.id).where(Event.action == "campaign_exported")) is not None


def test_json_lists_public_campaigns_and_shows_votes_only_from_the_results(world, judged, client):
    campaign, a, b, c = judged
    draft = world.campaign(title="Secret draft", opened=False)
    db.session.commit()
    listing = client.get("/api/v1/campaigns").get_json()
    assert [item["id"] for item in listing["items"]] == [campaign.id] and listing["total"] == 1
    assert client.get(f"/api/v1/campaigns/{draft.id}").status_code == 404
    detail = client.get(f"/api/v1/campaigns/{campaign.id}").get_json()
    assert detail["phase"] == "judging" and detail["counts"] == {"entries": 3, "approved": 3, "votes": 2}
    work = next(e for e in detail["entries"] if e["id"] == a.id)
    assert work["thumbnail_url"].endswith(f"/files/{a.file.key}/thumb") and work["image_url"].endswith(a.file.key)
    assert "votes" not in work and work["nickname"] == world.kids[0].display_name
    assert "real_name" not in str(detail) and world.kids[0].child_profile.real_name not in str(detail)
    operations.move_on(campaign, world.coordinator, Phase.results)
    db.session.commit()
    work = next(e for e in client.get(f"/api/v1/campaigns/{campaign.id}").get_json()["entries"] if e["id"] == a.id)
    assert (work["votes"], work["rank"], work["winner"]) == (2, 1, True)


def test_draft_campaigns_are_seen_by_their_organisers_only(world, client):
    draft = world.campaign(title="Secret draft", opened=False)
    db.session.commit()
    assert client.get(f"/campaigns/{draft.id}").status_code == 404
    assert "Secret draft" not in client.get("/campaigns/").get_data(as_text=True)
    login(client, world.coordinator)
    assert client.get(f"/campaigns/{draft.id}").status_code == 200


def test_organiser_opens_a_campaign_through_the_form_and_keeps_words_on_a_mistake(world, client):
    login(client, world.facilitator)
    form = {"council": str(world.community_a.id), "kind": "slogan", "title": "A slogan for our street",
            "rules": "Write a short slogan.", "prizes": "", "age_groups": "6-8, 9-11",
            "reviewing_from": "2030-01-10", "voting_from": "2030-01-05", "judging_from": "2030-01-20",
            "results_from": "2030-01-25", "entries_per_child": "1", "votes_per_child": "3", "jury_weight": "60",
            "winners_per_group": "3", "rubric": "Clear | 50\nCatchy | 50", "jurors": "juror1"}
    refused = client.post("/campaigns/new", data=form)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "follow each other" in page and "A slogan for our street" in page
    form["voting_from"] = "2030-01-15"
    assert client.post("/campaigns/new", data=form).status_code == 302
    from council.campaigns.models import Campaign

    campaign = db.session.scalar(select(Campaign).where(Campaign.title == "A slogan for our street"))
    assert campaign.council_id == world.community_a.id and campaign.phase is Phase.draft
    assert [j.account_id for j in campaign.jurors] == [world.juror.id]
    assert client.post(f"/campaigns/{campaign.id}/phase", data={"to": "open"}).status_code == 302
    db.session.expire_all()
    assert campaign.phase is Phase.open
    response = client.post(f"/campaigns/{campaign.id}/phase", data={"to": "results"}, follow_redirects=True)
    assert "cannot become" in response.get_data(as_text=True)
    assert client.get("/campaigns/new").status_code == 200
    client.post("/logout")
    login(client, world.teacher)
    assert client.get("/campaigns/new").status_code == 403
