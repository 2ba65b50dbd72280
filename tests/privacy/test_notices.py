"""The privacy notices: for children in plain words, for guardians in full."""


def test_the_childrens_notice_in_plain_words(client):
    client.set_cookie("lang", "en")
    page = client.get("/privacy/children").get_data(as_text=True)
    assert "Other people only see your nickname and your council" in page
    assert "You can ask for everything about you to be deleted" in page
    assert "press the button “I need help / report”" in page  # the help button, named as the child sees it


def test_the_guardians_notice_names_the_contact_and_the_periods(app, client, reference):
    app.config.update(DATA_PROTECTION_CONTACT="周村区妇儿工委办公室 张老师 0533-1234567", CHILD_RETENTION_DAYS=365,
                      PRIVACY_DELETION_GRACE_DAYS=10)
    client.set_cookie("lang", "en")
    page = client.get("/privacy/guardians").get_data(as_text=True)
    assert "周村区妇儿工委办公室 张老师 0533-1234567" in page
    assert "not used for 365 days" in page and "after 10 days" in page
    assert "servers in Zhoucun District" in page  # the district's name, from its profile (council/districts)


def test_the_notices_are_linked_from_the_privacy_page_and_every_footer(client):
    for path in ("/privacy", "/"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/privacy/children"' in page and 'href="/privacy/guardians"' in page
