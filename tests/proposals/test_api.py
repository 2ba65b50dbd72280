def test_list_shows_only_public_ideas_with_public_fields(client, world):
    world.published(title="公园长椅")
    world.submitted(title="还在审核")
    data = client.get("/api/v1/proposals").get_json()
    assert set(data) == {"items", "page", "pages", "total"}
    assert [p["title"] for p in data["items"]] == ["公园长椅"]
    item = data["items"][0]
    assert {"id", "title", "council", "tier", "state", "state_label", "plan_task", "supports", "created_at",
            "authors"} <= set(item)
    assert item["authors"] == ["小作者"] and item["state"] == "published"
    body = client.get("/api/v1/proposals").get_data(as_text=True)
    assert "王小明" not in body and "real_name" not in body and "username" not in body


def test_list_filters(client, world):
    world.published(title="公园长椅")
    world.published(world.coordinator, title="路灯坏了", council=world.district)
    assert [p["title"] for p in client.get("/api/v1/proposals?q=路灯").get_json()["items"]] == ["路灯坏了"]
    assert [p["title"] for p in client.get("/api/v1/proposals?tier=district").get_json()["items"]] == ["路灯坏了"]
    assert client.get(f"/api/v1/proposals?council={world.community_b.id}").get_json()["total"] == 0
    assert client.get("/api/v1/proposals?state=submitted").get_json()["total"] == 2  # ignored: not public


def test_detail_has_a_timeline_and_hides_private_ideas(client, world):
    public = world.published()
    private = world.submitted()
    data = client.get(f"/api/v1/proposals/{public.id}").get_json()
    assert [step["state"] for step in data["timeline"]] == ["submitted", "published"]
    assert client.get(f"/api/v1/proposals/{private.id}").status_code == 404
