"""The menu a signed-in reader gets: the links of the roles held today. Its HTML is kept per worker for each set of
roles (templates/_site.html: role_links), so a role that ends must take its links with it at once."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from council.accounts.models import Account, Membership
from council.calendar import clock
from council.extensions import db
from tests.accounts.test_views import DEMO_PASSWORD
from tests.scale.test_query_counts import counting


def menu(client) -> list[str]:
    page = client.get("/plan/").get_data(as_text=True)
    nav = page[page.index('<nav class="main-nav"'):page.index('<div class="account-box">')]
    return re.findall(r'href="([^"]+)"', nav)


def test_each_reader_gets_the_links_of_the_roles_held_now(client, auth, demo):
    auth.login("unit_edu", DEMO_PASSWORD)
    staff = menu(client)
    assert "/desk" in staff and "/teacher" not in staff and "/coordinator" not in staff
    auth.logout()

    auth.login("teacher", DEMO_PASSWORD)
    teaching = menu(client)
    assert "/teacher" in teaching and "/desk" not in teaching and "/facilitator" not in teaching

    teacher = db.session.scalar(select(Account).where(Account.username == "teacher"))
    for membership in db.session.scalars(select(Membership).where(Membership.account_id == teacher.id)):
        membership.ends_on = clock.today() - timedelta(days=1)
    db.session.commit()
    ended = menu(client)
    assert "/teacher" not in ended and "/ideas/" in ended  # the public links stay
    assert client.get("/teacher").status_code == 403

    auth.logout()
    auth.login("coordinator", DEMO_PASSWORD)
    coordinating = menu(client)
    assert {"/coordinator", "/routing"} <= set(coordinating) and "/desk" not in coordinating


def test_the_signed_in_account_is_read_with_its_roles_in_one_statement(client, auth, demo):
    auth.login("unit_edu", DEMO_PASSWORD)
    with counting() as statements:
        assert client.get("/desk").status_code == 200
    read_alone = [s for s in statements if re.search(r"^SELECT (memberships|unit_staff|units)\.", s)
                  and "FROM accounts" not in s]
    assert read_alone == []
    assert sum("FROM accounts" in s for s in statements) == 1
