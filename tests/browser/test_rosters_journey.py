"""A teacher imports a class, prints the cards, a guardian says yes online, and a 7-year-old signs in with
pictures and sends an idea that reaches the facilitator."""


from playwright.sync_api import expect

from council.calendar import clock
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in, watch_errors

YEAR = clock.today().year


def test_roster_import_cards_online_consent_picture_sign_in_and_an_idea(browser, live_server, tmp_path):
    roster = tmp_path / "三年级二班.csv"
    roster.write_bytes(f"姓名,昵称,出生年份,性别\n陈小雨,小蜻蜓,{YEAR - 7},女\n刘大卫,,{YEAR - 15},男\n"
                       .encode("gb18030"))
    teacher_ctx, teacher, teacher_errors = signed_in(browser, live_server, "teacher")
    teacher.get_by_role("link", name="Classes: import a roster, print sign-in cards").click()
    teacher.get_by_label("Class name").fill("三年级二班")
    teacher.get_by_role("button", name="Make the class").click()
    expect(teacher.get_by_text("is ready")).to_be_visible()
    assert_accessible(teacher)

    teacher.get_by_label("Class list (CSV or Excel .xlsx)").set_input_files(str(roster))
    teacher.get_by_role("button", name="Check the list").click()
    expect(teacher.get_by_role("cell", name="陈小雨")).to_be_visible()
    expect(teacher.get_by_text("chosen for the child")).to_be_visible()
    assert_accessible(teacher)
    teacher.get_by_role("button", name="Add all 2 children to the class").click()
    expect(teacher.get_by_text("2 children are in the class now")).to_be_visible()
    class_code = teacher.locator(".class-code").first.inner_text().strip()

    with teacher.expect_navigation():
        teacher.get_by_role("link", name="Print sign-in cards").click()
    assert_accessible(teacher)
    card = teacher.locator(".sign-in-card:not(.guardian-slip)", has_text="小蜻蜓")
    pictures = card.locator(".code-pictures li span").all_inner_texts()
    assert len(pictures) == 3
    slip = teacher.locator(".guardian-slip", has_text="小蜻蜓")
    consent_code = slip.locator(".class-code").inner_text().strip()
    expect(teacher.locator(".guardian-slip")).to_have_count(1)  # the 15-year-old needs no guardian slip

    # the guardian answers at home, without an account
    guardian_ctx = browser.new_context(viewport={"width": 360, "height": 800})
    guardian = guardian_ctx.new_page()
    guardian_errors = watch_errors(guardian)
    guardian.goto(live_server + "/lang/en")
    guardian.goto(live_server + "/guardian/consent")
    guardian.get_by_label("Code on the slip").fill(consent_code.lower())
    guardian.get_by_role("button", name="Next").click()
    expect(guardian.get_by_text("What is kept")).to_be_visible()
    assert_accessible(guardian)
    guardian.get_by_label("Your name").fill("陈建华")
    guardian.get_by_label("Yes, I agree").check()
    guardian.get_by_role("button", name="Send my answer").click()
    expect(guardian.get_by_text("Your answer is recorded: yes.")).to_be_visible()

    teacher.reload()
    expect(teacher.locator(".guardian-slip")).to_have_count(0)

    # the child, on the classroom tablet
    child_ctx = browser.new_context(viewport={"width": 360, "height": 800})
    child = child_ctx.new_page()
    child_errors = watch_errors(child)
    child.goto(live_server + "/lang/en")
    child.goto(live_server + "/login")
    with child.expect_navigation():
        child.get_by_role("link", name="Children: sign in with your class code").click()
    assert_accessible(child)
    child.get_by_label("Class code").fill(class_code)
    with child.expect_navigation():
        child.get_by_role("button", name="Next").click()
    assert_accessible(child)
    with child.expect_navigation():
        child.get_by_role("link", name="小蜻蜓").click()
    assert_accessible(child)
    for row, word in zip(("#row-1", "#row-2", "#row-3"), pictures, strict=True):
        child.locator(row).get_by_label(word, exact=True).check()
    for target in child.locator(".picture-choice").all()[:3]:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    child.get_by_role("button", name="Sign in").click()
    expect(child.get_by_text("Welcome, 小蜻蜓!")).to_be_visible()

    child.goto(live_server + "/ideas/new")
    child.get_by_role("button", name="Start a new idea").click()
    child.get_by_role("textbox", name="A short name for your idea").fill("教室里的饮水机坏了")
    child.get_by_role("textbox", name="What is the problem?").fill("饮水机不出水，我们下课喝不到水。")
    child.get_by_role("button", name="Next").click()
    child.get_by_role("textbox", name="Where is it?").fill("三年级二班教室")
    child.get_by_role("button", name="Next").click()
    child.get_by_role("textbox", name="What is your idea?").fill("请修好饮水机。")
    child.get_by_role("button", name="Next").click()
    child.get_by_role("textbox", name="Who would it help?").fill("全班同学")
    child.get_by_role("button", name="Next").click()
    child.get_by_role("button", name="Next").click()  # step 5: adds a chosen picture, then moves on
    child.get_by_label("Something else").check()
    child.get_by_role("button", name="Next").click()
    child.get_by_role("button", name="Send my idea").click()

    facilitator_ctx, facilitator, facilitator_errors = signed_in(browser, live_server, "facilitator")
    facilitator.goto(live_server + "/moderation")
    expect(facilitator.get_by_role("link", name="教室里的饮水机坏了")).to_be_visible()

    for context in (teacher_ctx, guardian_ctx, child_ctx, facilitator_ctx):
        context.close()
    assert teacher_errors == guardian_errors == child_errors == facilitator_errors == []
