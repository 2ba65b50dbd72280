from datetime import date

from sqlalchemy import select

from council.accounts.models import MembershipRole
from council.accounts.operations import add_membership
from council.councils.models import Council
from council.extensions import db


def test_council_tree_shows_all_three_tiers(client, demo):
    page = client.get("/councils/").get_data(as_text=True)
    assert "周村区儿童议事会" in page and "萌水镇儿童议事会" in page
    assert "大街示例小学儿童议事会（示例）" in page


def test_council_page_shows_members_by_nickname_only(client, demo):
    school = db.session.scalar(select(Council).where(Council.code == "dajie-demo-school"))
    page = client.get(f"/councils/{school.id}").get_data(as_text=True)
    assert "小海豚" in page
    assert "李晓雨" not in page and "六年级" not in page


def test_expired_member_is_not_listed(client, make):
    council = make.council()
    child = make.child(council, nickname="往届议事员")
    add_membership(child, council, MembershipRole.member, starts_on=date(2019, 9, 1), ends_on=date(2020, 8, 31))
    db.session.commit()
    assert "往届议事员" not in client.get(f"/councils/{council.id}").get_data(as_text=True)


def test_unknown_council_is_404(client, reference):
    assert client.get("/councils/99999").status_code == 404


def test_public_pages_never_show_real_names(client, demo):
    for path in ["/", "/councils/", "/plan/", "/units/"]:
        page = client.get(path).get_data(as_text=True)
        for private in ("王小明", "李晓雨", "赵小禾", "孙浩然"):
            assert private not in page, (path, private)


def test_home_and_a_council_page_show_the_levels_near_them_and_count_the_rest(client, demo):
    home = client.get("/").get_data(as_text=True)
    assert "大街街道儿童议事会" in home and "大街示例小学儿童议事会（示例）" not in home
    street = db.session.scalar(select(Council).where(Council.code == "dajie"))
    assert f"下设{len(street.children)}个议事会" in home
    district = db.session.scalar(select(Council).where(Council.parent_id.is_(None)))
    page = client.get(f"/councils/{district.id}").get_data(as_text=True)
    assert "大街街道儿童议事会" in page and "大街示例小学儿童议事会（示例）" not in page
