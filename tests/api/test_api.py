from sqlalchemy import select

from council import create_app
from council.extensions import db
from council.models import PlanTask


def test_plan_lists_every_area_action_and_task(client, reference):
    data = client.get("/api/v1/plan").get_json()
    assert [a["no"] for a in data["areas"]] == [1, 2, 3, 4, 5]
    assert data["areas"][0]["name"] == "完善儿童友好社会政策"
    first_action = data["areas"][0]["actions"][0]
    assert first_action == first_action | {"no": 1, "name": "实施儿童友好政策设计行动"}
    tasks = [t for a in data["areas"] for ac in a["actions"] for t in ac["tasks"]]
    assert [t["no"] for t in tasks] == list(range(1, 42))
    assert tasks[0]["lead_units"] == ["区发展改革局", "区妇儿工委办公室"]
    assert tasks[0]["text"].startswith("加强儿童友好规划设计。")


def test_plan_lead_units_match_the_database(client, reference):
    tasks = {t["no"]: t for a in client.get("/api/v1/plan").get_json()["areas"]
             for ac in a["actions"] for t in ac["tasks"]}
    for task in db.session.scalars(select(PlanTask)):
        assert tasks[task.no]["lead_units"] == [u.name for u in task.lead_units]


def test_councils_is_a_tree_in_the_list_envelope(client, demo):
    data = client.get("/api/v1/councils").get_json()
    assert set(data) == {"items", "page", "pages", "total"}
    (district,) = data["items"]
    assert district["tier"] == "district" and district["kind"] == "district"
    assert len(district["children"]) == 9
    street = next(c for c in district["children"] if c["name"] == "大街街道儿童议事会")
    assert street["kind"] == "street" and street["tier"] == "town"
    assert {c["tier"] for c in street["children"]} == {"community"}


def test_councils_flat_list_pages_and_filters(client, demo):
    data = client.get("/api/v1/councils?flat=1&tier=town&per_page=5&page=2").get_json()
    assert data["total"] == 9 and data["pages"] == 2 and data["page"] == 2
    assert len(data["items"]) == 4
    assert all(c["tier"] == "town" for c in data["items"])


def test_units_in_the_list_envelope(client, reference):
    data = client.get("/api/v1/units").get_json()
    # the plan's 34 responsible entries and the 9 town and street governments
    assert data["total"] == 43 and data["page"] == 1 and data["pages"] == 1
    by_name = {u["name"]: u for u in data["items"]}
    assert by_name["区教育和体育局"]["kind"] == "department"
    assert by_name["区“双减”工作协调机制成员单位"]["routable"] is False
    assert by_name["区财政局等各行业主管部门"]["members"] == [by_name["区财政局"]["id"]]


def test_api_never_exposes_child_private_fields(client, demo):
    body = "".join(client.get(p).get_data(as_text=True)
                   for p in ("/api/v1/plan", "/api/v1/councils", "/api/v1/units"))
    for private in ("王小明", "李晓雨", "real_name", "birth_year", "class_name"):
        assert private not in body


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/db.sqlite"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_the_idea_list_says_what_each_idea_says_on_its_own(client, demo):
    """The list reads plain rows; every entry must equal the idea's own document, field for field."""
    listed = client.get("/api/v1/proposals?per_page=100&sort=supported").get_json()
    assert listed["items"] and len(listed["items"]) == min(listed["total"], 100)
    for item in listed["items"]:
        single = client.get(f"/api/v1/proposals/{item['id']}").get_json()
        assert item == {key: single[key] for key in item}
    assert [i["supports"] for i in listed["items"]] == sorted((i["supports"] for i in listed["items"]), reverse=True)


def test_a_page_far_past_the_end_is_an_empty_page_not_an_error(client, demo):
    """page × per_page beyond a 32-bit offset (PostgreSQL refused the cast: NumericValueOutOfRange)."""
    response = client.get("/api/v1/proposals?page=2147483647&per_page=100")
    assert response.status_code == 200 and response.get_json()["items"] == []
    assert client.get("/ideas/?page=2147483647").status_code == 200
