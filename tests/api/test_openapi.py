"""The OpenAPI document: it describes every API route, and schemathesis finds no server error and no answer
that breaks its schema when it throws generated requests at the application (with the demo data loaded)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from council.api.spec import document, paths


def test_the_document_is_served(client):
    body = client.get("/api/v1/openapi.json").get_json()
    assert body["openapi"].startswith("3.")
    assert "/proposals/{proposal_id}" in body["paths"]


def test_every_api_route_is_described(app):
    described = set(document()["paths"])
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes - {"/openapi.json"} == described


def test_the_api_keeps_its_promises(app, demo):
    """Every operation: generated parameters and bodies (valid and not) never give a server error, and every
    answer (200, 304, 400, 401, 404, 409 …) matches what the document says, headers and body. One demo for all
    operations (seeding it per operation would take minutes); every operation's failure is reported."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} == set(paths())
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate()

        try:
            check()
        except Exception as failure:  # noqa: BLE001  (collected, then reported together)
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert failures == [], "\n\n".join(failures)
