"""The office reads a plan file in the browser before anything changes (issue 21 item 2): /plan/preview."""

from __future__ import annotations

import io
import json
from pathlib import Path

from council.extensions import db
from council.plan.files import document_json, plan_document
from council.plan.queries import current_plan
from tests.accounts.test_views import DEMO_PASSWORD
from tests.writes import WriteWatch

SEED_TEXT = Path(__file__).resolve().parents[2] / "council" / "data" / "zhoucun-2023-8.txt"


def _send(client, name: str, data: bytes):
    return client.post("/plan/preview", data={"plan_file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_office_reads_the_official_text_and_nothing_changes(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    with WriteWatch(db.engine) as watch:
        response = _send(client, "周政办字〔2023〕8号.txt", SEED_TEXT.read_bytes())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "文件里有 5 个领域、13 项行动、41 项任务。" in page and "所有牵头单位都找到了" in page
    assert "区妇儿工委办公室" in page
    assert watch.committed == 0


def test_a_unit_no_one_has_is_listed_never_guessed(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    document = json.loads(document_json(plan_document(current_plan())))
    document["areas"][0]["actions"][0]["tasks"][0]["lead_units"] = ["区发展改革局", "区未来规划局"]
    page = _send(client, "plan.json", json.dumps(document, ensure_ascii=False).encode()).get_data(as_text=True)
    assert "找不到：区未来规划局" in page and "不合适的地方（1 处）" in page


def test_a_file_that_is_no_plan_is_refused_beside_the_field(client, auth, demo):
    auth.login("coordinator", DEMO_PASSWORD)
    response = _send(client, "photo.png", b"\x89PNG not a plan")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="plan_file-error"' in page and "photo.png" in page
    assert _send(client, "", b"").status_code == 400


def test_the_page_is_the_offices(client, auth, demo):
    auth.login("teacher", DEMO_PASSWORD)
    assert client.get("/plan/preview").status_code == 403
