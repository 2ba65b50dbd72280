"""Issue 20 item 3 in the browser: 读给我听. The browser's own speech synthesis reads the page's main text in the
page's language; the buttons are hidden when the browser has no voice for it. Headless Chromium has no voices, so
the test gives the page a speech engine that records what it is asked to say (its voices are the only thing
chosen here; the page's script and text are the real ones)."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from council.extensions import db
from council.proposals.models import Proposal
from tests.browser.axe import assert_accessible
from tests.browser.conftest import signed_in

SPEECH = """voices => {
  window.__spoken = []; window.__cancelled = 0;
  const engine = {
    paused: false, speaking: false,
    getVoices() { return voices.map(lang => ({lang, name: 'test ' + lang})); },
    speak(u) {
      window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang});
      this.speaking = true;
    },
    pause() { this.paused = true; }, resume() { this.paused = false; },
    cancel() { this.speaking = false; this.paused = false; window.__cancelled += 1; },
    addEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: engine, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def _with_voices(context, voices: list[str]) -> None:
    context.add_init_script(f"({SPEECH})({voices!r})")


def test_a_child_has_the_idea_page_read_aloud_in_chinese_pauses_and_stops(browser, live_server):
    idea = db.session.scalar(select(Proposal).where(Proposal.title == "公园里的秋千坏了"))
    context, page, errors = signed_in(browser, live_server, "child", english=False)
    _with_voices(context, ["en-US", "zh-CN"])
    page.goto(f"{live_server}/ideas/{idea.id}")
    play = page.get_by_role("button", name="读给我听")
    expect(play).to_be_visible()
    assert_accessible(page)
    play.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "zh-CN" and spoken[0]["voice"] == "zh-CN"
    assert "公园里的秋千坏了" in spoken[0]["text"] and idea.problem[:10] in spoken[0]["text"]
    assert "读给我听" not in spoken[0]["text"]  # the buttons are not read
    pause = page.get_by_role("button", name="暂停")
    pause.click()
    expect(page.get_by_role("button", name="继续")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.speechSynthesis.paused") is True
    page.get_by_role("button", name="停止").click()
    expect(page.get_by_role("button", name="停止")).to_be_hidden()
    assert page.evaluate("window.__cancelled") >= 2  # before speaking, and on stop
    page.goto(f"{live_server}/help")
    expect(page.get_by_role("button", name="读给我听")).to_be_visible()
    context.close()
    assert errors == []


def test_without_a_voice_for_the_pages_language_there_is_no_button(browser, live_server):
    context, page, errors = signed_in(browser, live_server, "child", english=False)
    _with_voices(context, ["en-US"])  # English only; the page is Chinese
    page.goto(f"{live_server}/notifications")
    expect(page.locator(".read-aloud")).to_be_hidden()
    page.goto(f"{live_server}/lang/en")
    page.goto(f"{live_server}/notifications")
    expect(page.get_by_role("button", name="Read to me")).to_be_visible()
    context.close()
    assert errors == []
