"""A guardian asks a teacher to delete a child's data: the child's public idea stays, by "a child of" the
council; the coordinating office finds the deletion in the record."""

from playwright.sync_api import expect

from council.accounts.operations import find_account
from council.extensions import db
from council.proposals import operations as ideas
from tests.browser.axe import assert_accessible
from tests.browser.conftest import open_menu, signed_in


def _published_idea_by(username):
    child, facilitator = find_account(username), find_account("facilitator")
    council = child.child_profile.home_council
    proposal = ideas.start_draft(child, council)
    ideas.save_draft(proposal, child, step=7, title="教室里要有饮水机", problem="课间喝水要跑到一楼。",
                     place="示例小学三楼", idea="每层楼放一台饮水机。", who_helps="全校同学")
    ideas.choose_topic(proposal, child, None)
    ideas.submit(proposal, child)
    ideas.publish(proposal, facilitator)
    db.session.commit()
    return proposal, child.display_name, council.name_en


def test_teacher_carries_out_a_guardians_deletion_and_the_office_finds_it(browser, live_server):
    proposal, nickname, council_name = _published_idea_by("kid07")
    idea_url = f"{live_server}/ideas/{proposal.id}"

    context, teacher, errors = signed_in(browser, live_server, "teacher")
    teacher.goto(live_server + "/teacher")
    with teacher.expect_navigation():
        teacher.get_by_role("link", name=f"Record a guardian's data request for {nickname}").click()
    assert_accessible(teacher)
    teacher.get_by_label("Deleting the child's data").check()
    teacher.get_by_label("Name of the person asking").fill("示例家长")
    teacher.get_by_label("Relation to the child").select_option(label="Mother")
    teacher.get_by_label("By phone").check()
    teacher.get_by_role("button", name="Record the request").click()
    expect(teacher.get_by_text(f"The request for {nickname} is recorded.")).to_be_visible()
    assert_accessible(teacher)

    teacher.get_by_role("button", name="Delete the child's data now").click()
    expect(teacher.get_by_text("Check who is asking first.")).to_be_visible()  # nothing deleted yet
    teacher.get_by_label("I have checked that the person asking is the child's guardian.").check()
    teacher.get_by_role("button", name="Delete the child's data now").click()
    expect(teacher.get_by_text("The child's data is deleted.")).to_be_visible()
    assert_accessible(teacher)

    teacher.goto(idea_url)
    expect(teacher.get_by_role("heading", name="教室里要有饮水机")).to_be_visible()
    expect(teacher.get_by_text(f"a child of {council_name}").first).to_be_visible()
    assert nickname not in teacher.content()
    context.close()
    assert errors == []

    context, office, errors = signed_in(browser, live_server, "coordinator")
    open_menu(office)
    office.get_by_role("link", name="The record").click()
    office.get_by_label("What happened").select_option(label="Child's data deleted")
    office.get_by_role("button", name="Show").click()
    row = office.locator("tbody tr").first
    expect(row).to_contain_text("Child's data deleted")
    expect(row).to_contain_text("示例小学 王老师")
    assert_accessible(office)
    office.get_by_label("Who (username)").fill("teacher")
    office.get_by_label("What happened").select_option(label="Guardian's data request recorded")
    office.get_by_role("button", name="Show").click()
    expect(office.locator("tbody tr")).to_have_count(3)  # the demo's two requests and this one, all the teacher's
    context.close()
    assert errors == []
