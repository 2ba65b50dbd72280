"""The journeys' phones (browser contexts) are kept from one test to the next (tests/browser/conftest.py
KeptPhones): one given back comes again as a new one would, and one a test changed in a lasting way is closed."""

from __future__ import annotations

PHONE = {"width": 360, "height": 800}


def test_a_phone_given_back_comes_again_with_nothing_of_the_last_person(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")  # options no other test asks for
    page = context.new_page()
    page.goto(live_server + "/")
    page.evaluate("() => { localStorage.setItem('draft', 'my words'); sessionStorage.setItem('step', '2'); }")
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    heard = []
    page.on("console", lambda message: heard.append(message.text))
    page.once("console", lambda message: heard.append("once: " + message.text))
    page.evaluate("() => console.log('the last person')")
    assert heard == ["the last person", "once: the last person"]  # the once listener fired and is gone
    heard.clear()
    page.set_viewport_size({"width": 1280, "height": 900})
    context.close()

    again = browser.new_context(viewport=PHONE, locale="fr-FR")
    kept = again.new_page()
    assert kept is page and not kept.is_closed()  # the same page, its renderer kept
    assert kept.url == "about:blank"
    assert again.cookies() == []
    assert kept.viewport_size == PHONE
    kept.goto(live_server + "/")  # the same origin as before: its storage was emptied
    assert kept.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
    kept.evaluate("() => console.log('the next person')")
    assert heard == []  # the last test's listener is gone
    again.close()


def test_a_phone_changed_in_a_lasting_way_or_with_a_second_page_is_closed(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="it-IT")
    page = context.new_page()
    page.emulate_media(media="print")  # would outlive the next navigation
    context.close()
    assert page.is_closed()
    again = browser.new_context(viewport=PHONE, locale="it-IT")
    first = again.new_page()
    assert first is not page
    second = again.new_page()
    again.close()
    assert first.is_closed() and second.is_closed()
    third = browser.new_context(viewport=PHONE, locale="it-IT")
    assert third.new_page() not in (page, first, second)
    third.close()
