"""Campaign steps that cannot be undone ask first (issue 19 item 10): moving on is a page that says what will
happen, then a button (two steps on the server, no script needed); moved early, the campaign's page shows the
phase ending today; a second tap moves nothing more; and whoever checked the entries with the children's names is
refused a seat on the blind jury, with the reason, in both languages."""

from __future__ import annotations

from flask_babel import format_date
from sqlalchemy import select

from council.audit.models import Event
from council.campaigns import operations
from council.campaigns.models import Campaign, Phase
from council.extensions import db
from tests.campaigns.conftest import TODAY
from tests.conftest import PASSWORD


def login(client, account):
    client.post("/login", data={"username": account.username, "password": PASSWORD})


def phase_events(campaign) -> list[tuple[str, str]]:
    return [(e.from_state, e.to_state) for e in db.session.scalars(select(Event).where(
        Event.subject_type == "campaigns", Event.subject_id == campaign.id, Event.action == "campaign_phase"))]


def shown_date(day) -> str:
    return format_date(day, "medium")  # the pages' |date, in the English request of the in_english fixture


def test_moving_on_shows_what_will_happen_first_and_changes_nothing_until_confirmed(world, client):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0])
    db.session.commit()
    planned = campaign.reviewing_from
    login(client, world.coordinator)
    show = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert f'href="/campaigns/{campaign.id}/phase"' in show  # a link to the question, not a button that acts
    assert f'action="/campaigns/{campaign.id}/phase"' not in show

    page = client.get(f"/campaigns/{campaign.id}/phase")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Entries will close and the checking of the entries begins." in html
    assert "This step cannot be undone." in html
    assert (f"“Entries close on” changes from {shown_date(planned)} to today, {shown_date(TODAY)}."
            in html.replace("&#34;", '"'))
    assert f'action="/campaigns/{campaign.id}/phase"' in html and 'value="reviewing"' in html
    assert "Not now, back to the campaign" in html
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).phase is Phase.open and phase_events(campaign)[-1][1] == "open"

    client.set_cookie("lang", "zh_Hans_CN")
    chinese = client.get(f"/campaigns/{campaign.id}/phase").get_data(as_text=True)
    assert "投稿将关闭，评审开始。" in chinese and "此步不能撤回。" in chinese


def test_a_phase_moved_early_ends_today_on_the_campaigns_page(world, client):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0])
    db.session.commit()
    planned = campaign.reviewing_from
    assert planned > TODAY
    login(client, world.coordinator)
    before = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert shown_date(planned) in before
    moved = client.post(f"/campaigns/{campaign.id}/phase", data={"to": "reviewing"}, follow_redirects=True)
    html = moved.get_data(as_text=True)
    assert "The campaign is now: Entries being checked." in html
    entries_close = html.split("Entries close</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert entries_close == shown_date(TODAY)
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    assert operations.phase_dates(campaign)["reviewing_from"] == TODAY
    assert campaign.reviewing_from == planned  # the plan is kept; the page tells what happened
    assert operations.phase_dates(campaign)["voting_from"] == campaign.voting_from  # later phases as planned


def test_a_confirmation_sent_twice_moves_the_campaign_once(world, client):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0])
    db.session.commit()
    login(client, world.coordinator)
    first = client.post(f"/campaigns/{campaign.id}/phase", data={"to": "reviewing"})
    second = client.post(f"/campaigns/{campaign.id}/phase", data={"to": "reviewing"}, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "The campaign is now: Entries being checked." in second.get_data(as_text=True)
    assert "cannot become" not in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).phase is Phase.reviewing
    assert phase_events(campaign).count(("open", "reviewing")) == 1


def test_the_question_says_why_a_campaign_cannot_move_on_yet(world, client):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0], approve=False)
    world.to_phase(campaign, Phase.reviewing)
    db.session.commit()
    login(client, world.coordinator)
    html = client.get(f"/campaigns/{campaign.id}/phase").get_data(as_text=True)
    assert "Some entries are still waiting to be checked." in html
    assert "Yes, move on to" not in html  # nothing to confirm until it can move


def test_an_archived_campaign_has_nothing_to_confirm(world, client):
    campaign = world.campaign()
    world.entry(campaign, world.kids[0])
    world.to_phase(campaign, Phase.judging)
    operations.score(campaign.entries[0], world.juror, [5, 5])
    world.to_phase(campaign, Phase.archived)
    db.session.commit()
    login(client, world.coordinator)
    html = client.get(f"/campaigns/{campaign.id}/phase").get_data(as_text=True)
    assert "there is no next phase" in html and "Yes, move on to" not in html


def test_only_organisers_see_the_question(world, client):
    campaign = world.campaign()
    db.session.commit()
    login(client, world.teacher)
    assert client.get(f"/campaigns/{campaign.id}/phase").status_code == 403
    draft = world.campaign(opened=False)
    db.session.commit()
    assert client.get(f"/campaigns/{draft.id}/phase").status_code == 404  # a draft is not there for them


def test_someone_who_checked_the_entries_by_name_cannot_join_the_blind_jury(world, client):
    campaign = world.campaign(world.community_a)  # organised by 大街's facilitator, who checks the entries
    world.entry(campaign, world.kids[0])
    db.session.commit()
    assert operations.reviewed_by_name(campaign, world.facilitator)
    login(client, world.facilitator)
    form = {"council": str(world.community_a.id), "kind": "drawing", "title": campaign.title, "rules": campaign.rules,
            "prizes": "", "age_groups": "6-8, 9-11, 12-14, 15-17",
            "reviewing_from": campaign.reviewing_from.isoformat(), "voting_from": campaign.voting_from.isoformat(),
            "judging_from": campaign.judging_from.isoformat(), "results_from": campaign.results_from.isoformat(),
            "entries_per_child": "1", "votes_per_child": "2", "jury_weight": "70", "winners_per_group": "2",
            "rubric": "Creativity | 60\nMessage | 40", "jurors": "juror1, fac_a"}
    refused = client.post(f"/campaigns/{campaign.id}/edit", data=form)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    assert "“fac_a” checked this campaign's entries and saw the children's names" in html
    assert "juror1, fac_a" in html  # what was typed stays
    client.set_cookie("lang", "zh_Hans_CN")
    chinese = client.post(f"/campaigns/{campaign.id}/edit", data=form)
    assert chinese.status_code == 400 and "不能担任匿名评委" in chinese.get_data(as_text=True)
    db.session.expire_all()
    assert [j.account.username for j in db.session.get(Campaign, campaign.id).jurors] == ["juror1", "juror2"]


def test_a_juror_who_checked_the_entries_by_name_is_refused_when_scoring(world, client):
    campaign = world.campaign(world.community_a, jurors=[world.facilitator, world.juror])
    entry = world.entry(campaign, world.kids[0])  # checked by the facilitator, who is also named on the jury
    world.to_phase(campaign, Phase.judging)  # juror1 has not seen the names: the jury can start
    db.session.commit()
    login(client, world.facilitator)
    jury = client.get(f"/campaigns/{campaign.id}/jury").get_data(as_text=True)
    assert "you cannot score them on the blind jury" in jury and "Save marks" not in jury
    refused = client.post(f"/campaigns/{campaign.id}/jury/{entry.code}", data={"mark-0": "9", "mark-1": "9"})
    assert refused.status_code == 400
    assert "you cannot score them on the blind jury" in refused.get_data(as_text=True)
    client.set_cookie("lang", "zh_Hans_CN")
    chinese = client.post(f"/campaigns/{campaign.id}/jury/{entry.code}", data={"mark-0": "9", "mark-1": "9"})
    assert chinese.status_code == 400 and "不能作为匿名评委打分" in chinese.get_data(as_text=True)
    assert operations.my_scores(campaign, world.facilitator) == {}
    operations.score(entry, world.juror, [9, 9])  # the blind juror scores as before
    assert list(operations.my_scores(campaign, world.juror)) == [entry.id]


def test_the_jury_does_not_start_when_every_juror_saw_the_names(world):
    campaign = world.campaign(world.community_a, jurors=[world.facilitator])
    world.entry(campaign, world.kids[0])
    world.to_phase(campaign, Phase.voting)
    step = operations.next_step(campaign)
    assert step.to is Phase.judging and "has not, before the jury starts" in step.problem
