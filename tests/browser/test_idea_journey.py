"""A child's idea from first draft to a public page, with everyone who touches it on their own device."""


from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

DEMO_PASSWORD = "zhoucun2026"



def test_child_idea_is_returned_resubmitted_published_and_supported(browser, live_server, drawing):
    child_ctx, child, child_errors = signed_in(browser, live_server, "child", english=False)
    child.goto(live_server + "/ideas/new")
    assert_accessible(child)
    child.get_by_role("button", name="开始写新建议").click()

    # step 1: a validation error keeps what was typed
    child.get_by_role("textbox", name="什么问题").fill("滑梯下面全是水，大家都滑不了。")
    child.get_by_role("button", name="下一步").click()
    expect(child.locator(".field-error").first).to_be_visible()
    expect(child.get_by_role("textbox", name="什么问题")).to_have_value("滑梯下面全是水，大家都滑不了。")
    assert_accessible(child)
    child.get_by_role("textbox", name="给你的建议起个短名字").fill("滑梯下面积水")
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("textbox", name="在哪里").fill("大街公园")
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("textbox", name="你有什么建议").fill("在滑梯下面铺上会渗水的地垫。")
    child.get_by_role("button", name="下一步").click()
    child.get_by_role("textbox", name="它能帮到谁").fill("去公园玩的小朋友")
    child.get_by_role("button", name="下一步").click()

    # step 5: a drawing
    assert_accessible(child)
    child.locator("input[name=picture]").set_input_files(str(drawing))
    child.get_by_role("textbox", name="图片上有什么").fill("积水的滑梯")
    child.get_by_role("button", name="添加到我的建议").click()
    expect(child.get_by_role("img", name="积水的滑梯")).to_be_visible()
    child.get_by_role("button", name="下一步").click()

    # step 6: a topic, by plain words
    child.get_by_text("公园、街道和玩耍的地方").click()
    child.get_by_label("建设儿童友好城市景观").check()
    assert_accessible(child)
    with child.expect_navigation():
        child.get_by_role("button", name="下一步").click()
    assert_accessible(child)
    child.get_by_role("button", name="提交我的建议").click()
    expect(child.get_by_text("辅导员正在看")).to_be_visible()
    idea_url = child.url

    # the facilitator sends it back with a reason
    fac_ctx, facilitator, fac_errors = signed_in(browser, live_server, "facilitator", english=False)
    facilitator.goto(live_server + "/moderation")
    assert_accessible(facilitator)
    with facilitator.expect_navigation():
        facilitator.get_by_role("link", name="滑梯下面积水").click()
    assert_accessible(facilitator)
    facilitator.locator("#reason").fill("请写一写是公园的哪个滑梯。")
    facilitator.get_by_role("button", name="退回修改").click()
    expect(facilitator.get_by_text("退回给孩子")).to_be_visible()

    # the child reads why, edits and sends it again
    child.goto(live_server + "/notifications")
    expect(child.get_by_text("请写一写是公园的哪个滑梯。")).to_be_visible()
    assert_accessible(child)
    child.goto(idea_url)
    child.get_by_role("link", name="修改后重新提交").click()
    expect(child.get_by_text("请写一写是公园的哪个滑梯。")).to_be_visible()
    child.goto(idea_url + "/step/2")
    child.get_by_role("textbox", name="在哪里").fill("大街公园东门的大滑梯")
    child.get_by_role("button", name="下一步").click()
    child.goto(idea_url + "/step/7")
    child.get_by_role("button", name="提交我的建议").click()

    # the facilitator publishes it
    facilitator.goto(live_server + "/moderation")
    facilitator.get_by_role("link", name="滑梯下面积水").click()
    facilitator.get_by_role("button", name="公开", exact=True).click()

    # another child supports it
    friend_ctx, friend, friend_errors = signed_in(browser, live_server, "member", english=False)
    friend.goto(idea_url)
    expect(friend.get_by_role("img", name="积水的滑梯")).to_be_visible()
    friend.get_by_role("button", name="我支持").click()
    expect(friend.get_by_text("1 人支持")).to_be_visible()
    assert_accessible(friend)

    # the author sees every step on the timeline and in messages
    child.goto(idea_url)
    timeline = child.locator(".timeline")
    for words in ["提交给了", "退回修改", "重新提交了", "公开了"]:
        expect(timeline).to_contain_text(words)
    expect(child.get_by_text("1 人支持")).to_be_visible()
    assert_accessible(child)
    child.goto(live_server + "/notifications")
    # one thread for the idea: the newest news (public) on top, the earlier ones (sent, back, sent) under it
    thread = child.locator(".idea-card", has_text="滑梯下面积水")
    expect(thread).to_have_count(1)
    expect(thread.locator(".earlier-messages li")).to_have_count(3)
    assert_accessible(child)

    for context in (child_ctx, fac_ctx, friend_ctx):
        context.close()
    assert child_errors == fac_errors == friend_errors == []
