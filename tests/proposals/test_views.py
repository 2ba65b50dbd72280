from sqlalchemy import select

from council.extensions import db
from council.notifications.models import Notification
from council.proposals.models import Proposal, ProposalState
from tests.conftest import PASSWORD


def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD})
    client.set_cookie("lang", "en")


def test_wizard_keeps_typed_words_through_a_validation_error(client, world):
    sign_in(client, "author")
    start = client.post("/ideas/new", data={"council": world.community_a.id})
    assert start.status_code == 302
    proposal = db.session.scalars(select(Proposal)).one()
    step1 = f"/ideas/{proposal.id}/step/1"
    response = client.post(step1, data={"title": "", "problem": "滑梯太烫了"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give your idea a short name." in page
    assert "滑梯太烫了" in page  # nothing typed is lost
    db.session.refresh(proposal)
    assert proposal.problem == "滑梯太烫了"  # and it is on the server, for after a closed tab


def test_wizard_end_to_end(client, world, reference):
    sign_in(client, "author")
    client.post("/ideas/new", data={"council": world.community_a.id})
    proposal = db.session.scalars(select(Proposal)).one()
    base = f"/ideas/{proposal.id}/step"
    assert client.post(f"{base}/1", data={"title": "滑梯太烫", "problem": "夏天滑梯太烫。"}).headers[
        "Location"] == f"{base}/2"
    assert client.post(f"{base}/2", data={"place": "幸福公园", "council": world.community_a.id}).status_code == 302
    assert client.post(f"{base}/3", data={"idea": "装一个遮阳棚。"}).status_code == 302
    assert client.post(f"{base}/4", data={"who_helps": "小朋友"}).status_code == 302
    assert client.get(f"{base}/5").status_code == 200
    assert client.post(f"{base}/6", data={"task": "28"}).status_code == 302
    check = client.get(f"{base}/7").get_data(as_text=True)
    assert "滑梯太烫" in check and "Send my idea" in check
    sent = client.post(f"/ideas/{proposal.id}/submit")
    assert sent.headers["Location"] == f"/ideas/{proposal.id}"
    again = client.post(f"/ideas/{proposal.id}/submit")  # a double click sends nothing twice
    assert again.status_code == 302
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.submitted and proposal.plan_task.no == 28
    page = client.get(f"/ideas/{proposal.id}").get_data(as_text=True)
    assert "is reading it" in page


def test_back_button_saves_without_checking(client, world):
    sign_in(client, "author")
    client.post("/ideas/new", data={"council": world.community_a.id})
    proposal = db.session.scalars(select(Proposal)).one()
    response = client.post(f"/ideas/{proposal.id}/step/3", data={"idea": "一半", "back": "1"})
    assert response.headers["Location"] == f"/ideas/{proposal.id}/step/2"
    db.session.refresh(proposal)
    assert proposal.idea == "一半"


def test_autosave_keeps_words(client, world):
    proposal = world.draft()
    sign_in(client, "author")
    assert client.post(f"/ideas/{proposal.id}/autosave", data={"idea": "正在写"}).status_code == 204
    db.session.refresh(proposal)
    assert proposal.idea == "正在写"


def test_another_child_cannot_open_or_edit_a_draft(client, world):
    proposal = world.draft()
    sign_in(client, "reader")
    assert client.get(f"/ideas/{proposal.id}").status_code == 404
    assert client.get(f"/ideas/{proposal.id}/step/1").status_code == 404  # as if there were no such idea
    assert client.post(f"/ideas/{proposal.id}/autosave", data={"idea": "hack"}).status_code == 404
    db.session.refresh(proposal)
    assert proposal.idea == "请修好。"


def test_moderation_queue_follows_the_council_tree(client, world):
    mine = world.submitted(title="甲社区的建议")
    sign_in(client, "fac_street")
    assert "甲社区的建议" in client.get("/moderation").get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "fac_b")
    assert "甲社区的建议" not in client.get("/moderation").get_data(as_text=True)
    assert client.get(f"/moderation/{mine.id}").status_code == 404  # not theirs to see: as if it did not exist
    client.post("/logout")
    sign_in(client, "author")  # sees the idea, may not screen it: told so
    refused = client.get(f"/moderation/{mine.id}")
    assert refused.status_code == 403 and "Only a facilitator" in refused.get_data(as_text=True)


def test_review_page_explains_each_flag(client, world):
    proposal = world.submitted(problem="我的电话是 138 1234 5678")
    sign_in(client, "fac_a")
    page = client.get(f"/moderation/{proposal.id}").get_data(as_text=True)
    assert "138 1234 5678" in page and "mobile phone number" in page


def test_return_needs_a_reason_and_keeps_the_form(client, world):
    proposal = world.submitted()
    sign_in(client, "fac_a")
    response = client.post(f"/moderation/{proposal.id}/return", data={"reason": ""})
    assert response.status_code == 400
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.submitted
    response = client.post(f"/moderation/{proposal.id}/return", data={"reason": "请写清楚在哪里"})
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.returned


def test_publish_twice_publishes_once(client, world):
    proposal = world.submitted()
    sign_in(client, "fac_a")
    client.post(f"/moderation/{proposal.id}/publish")
    client.post(f"/moderation/{proposal.id}/publish")
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.published
    published = [n for n in db.session.scalars(select(Notification)) if n.kind == "proposal_published"]
    assert len(published) == 1


def test_illegal_state_change_is_a_clear_refusal(client, world):
    proposal = world.published()
    sign_in(client, "fac_a")
    response = client.post(f"/moderation/{proposal.id}/reject", data={"kind": "inappropriate", "note": "x"})
    assert response.status_code == 400
    assert "cannot become" in response.get_data(as_text=True)


def test_idea_page_timeline_in_plain_words(client, world):
    proposal = world.published()
    page = client.get(f"/ideas/{proposal.id}").get_data(as_text=True)
    assert "made it public" in page or "公开" in page
    assert "王小明" not in page  # the author's real name never shows


def test_public_list_hides_private_states(client, world):
    world.published(title="公开的建议")
    world.submitted(title="还没审核")
    world.draft(title="草稿")
    page = client.get("/ideas/").get_data(as_text=True)
    assert "公开的建议" in page and "还没审核" not in page and "草稿" not in page


def test_the_council_filter_offers_the_district_and_towns_and_a_community_from_its_page(client, world):
    """A district has hundreds of communities and schools: the list's filter offers the district and its towns
    and streets; a community's ideas are one link away on its council page, and that list shows it chosen."""
    import re

    world.published(title="甲社区的建议")
    client.set_cookie("lang", "en")
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>',
                         client.get("/ideas/").get_data(as_text=True).split('id="council"')[1].split("</select>")[0])
    offered = {int(value) for value, _name in options}
    assert offered == {world.district.id, world.street_a.id, world.street_b.id}
    council_page = client.get(f"/councils/{world.community_a.id}").get_data(as_text=True)
    link = f'href="/ideas/?council={world.community_a.id}"'
    assert link in council_page and "The ideas of this council and the councils below it" in council_page
    community_list = client.get(f"/ideas/?council={world.community_a.id}").get_data(as_text=True)
    assert f'<option value="{world.community_a.id}" selected>' in community_list
    assert "甲社区的建议" in community_list


def test_support_button_flow(client, world):
    proposal = world.published()
    sign_in(client, "reader")
    client.post(f"/ideas/{proposal.id}/support", data={"action": "add"})
    client.post(f"/ideas/{proposal.id}/support", data={"action": "add"})
    db.session.refresh(proposal)
    assert proposal.support_count == 1
    assert "Take back my support" in client.get(f"/ideas/{proposal.id}").get_data(as_text=True)


def test_notifications_page_and_bell(client, world):
    world.published(title="我的秋千")
    sign_in(client, "author")
    home = client.get("/").get_data(as_text=True)
    assert 'class="count">1' in home  # one idea with news: sent, then public (the bell counts ideas)
    page = client.get("/notifications").get_data(as_text=True)
    assert "“我的秋千” is now public" in page
    client.post("/notifications/read")
    assert 'class="count"' not in client.get("/").get_data(as_text=True)


def test_teacher_submits_for_a_class(client, world):
    sign_in(client, "teacher_a")
    response = client.post("/ideas/new/for-children", data={
        "council": world.community_a.id, "children": [world.author.id, world.other_child.id]})
    assert response.status_code == 302
    proposal = db.session.scalars(select(Proposal)).one()
    assert proposal.on_behalf and {a.username for a in proposal.authors} == {"author", "reader"}
    refused = client.post("/ideas/new/for-children", data={"council": world.community_a.id})
    assert refused.status_code == 400 and "Choose the children" in refused.get_data(as_text=True)


def test_writing_for_children_finds_a_child_and_takes_only_children_in_reach(client, world):
    sign_in(client, "teacher_a")
    everyone = client.get("/ideas/new/for-children").get_data(as_text=True)
    assert "小作者" in everyone and "小读者" in everyone and "乙社区的孩子" not in everyone
    found = client.get("/ideas/new/for-children?q=作者").get_data(as_text=True)
    assert "小作者" in found and "小读者" not in found
    assert "No child matches your search." in client.get("/ideas/new/for-children?q=nobody").get_data(as_text=True)
    response = client.post("/ideas/new/for-children?q=作者", data={  # a child of another street is not taken
        "council": world.community_a.id, "children": [world.author.id, world.sibling_child.id]})
    assert response.status_code == 302
    assert [a.username for a in db.session.scalars(select(Proposal)).one().authors] == ["author"]


def test_words_typed_after_the_sign_in_lapsed_come_back(app, world):
    proposal = world.draft()
    browser = app.test_client()  # not signed in: the session is gone
    response = browser.post(f"/ideas/{proposal.id}/step/1", data={"title": "秋千", "problem": "断网前写的话"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(proposal)
    assert proposal.problem == "链子断了。"  # nobody signed in may write into a draft
    signed_in = browser.post("/login", data={"username": "author", "password": PASSWORD})
    assert signed_in.headers["Location"] == f"/ideas/{proposal.id}/step/7"
    db.session.refresh(proposal)
    assert proposal.problem == "断网前写的话"


def test_rescued_words_go_only_to_an_author(app, world):
    proposal = world.draft()
    browser = app.test_client()
    browser.post(f"/ideas/{proposal.id}/autosave", data={"idea": "别人的话"})
    browser.post("/login", data={"username": "reader", "password": PASSWORD})
    db.session.refresh(proposal)
    assert proposal.idea == "请修好。"


def test_coordinator_keeps_the_word_list(client, world):
    sign_in(client, "coord")
    assert client.post("/moderation/words", data={"word": "笨蛋"}).status_code == 302
    assert client.post("/moderation/words", data={"word": "笨蛋"}).status_code == 400
    proposal = world.submitted(problem="他说我是笨蛋")
    client.post("/logout")
    sign_in(client, "fac_a")
    assert "笨蛋" in client.get(f"/moderation/{proposal.id}").get_data(as_text=True)
    assert client.get("/moderation/words").status_code == 403


def test_a_message_missing_a_value_still_reads(app, world):
    from council.notifications.operations import text_of

    note = Notification(account_id=world.author.id, kind="task_dispatched", params={"title": "秋千"})
    assert "秋千" in text_of(note)


def test_my_ideas_lists_drafts_and_public_ideas_with_their_state(client, world):
    world.draft(title="还在写的点子")
    world.published(title="已经公开的点子")
    world.draft(author=world.other_child, title="别人的点子")
    sign_in(client, "author")
    page = client.get("/my/ideas").get_data(as_text=True)
    assert "还在写的点子" in page and "已经公开的点子" in page and "别人的点子" not in page
    assert "Not sent yet" in page and "Everyone can read it now" in page and "小作者" in page  # a child's words
    from tests.scale.test_query_counts import queries_of

    before = queries_of(client, "/my/ideas")
    for n in range(3):
        world.published(title=f"又一个点子{n}")
    assert queries_of(client, "/my/ideas") == before  # the cards in two statements, however many ideas


def test_the_kept_filter_form_shows_each_readers_own_choices_in_their_language(client, world):
    """The list's filter form is rendered once per worker for each language and choice of filters
    (proposals/_filters.html): a reader must still see their own words and choices, never another reader's."""
    import re

    def form(path: str) -> str:
        page = client.get(path).get_data(as_text=True)
        return page[page.index('<form method="get"'):page.index("</form>")]

    def selected(html: str, name: str) -> list[str]:
        select_html = html[html.index(f'name="{name}"'):]
        select_html = select_html[:select_html.index("</select>")]
        return re.findall(r'<option value="([^"]*)" selected>', select_html)

    client.set_cookie("lang", "en")
    plain = form("/ideas/")
    assert 'value=""' in plain and "Search" in plain and selected(plain, "state") == []
    chosen = form("/ideas/?q=%E7%A7%8B%E5%8D%83&state=published&sort=supported")
    assert 'value="秋千"' in chosen
    assert selected(chosen, "state") == ["published"] and selected(chosen, "sort") == ["supported"]
    assert form("/ideas/?q=%E8%B7%AF%E7%81%AF").count('value="路灯"') == 1 and 'value="秋千"' not in form(
        "/ideas/?q=%E8%B7%AF%E7%81%AF")
    assert form("/ideas/") == plain  # the kept form, unchanged by the readers between
    client.set_cookie("lang", "zh_Hans_CN")
    chinese = form("/ideas/?q=%E7%A7%8B%E5%8D%83&state=published&sort=supported")
    assert "搜索" in chinese and "Search" not in chinese and 'value="秋千"' in chinese
