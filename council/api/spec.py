"""The OpenAPI 3.0 description of every public endpoint of /api/v1 and of the units' token API.

Written by hand, next to the code it describes; tests/api/test_openapi.py checks that every API route is in
it and runs schemathesis over it against the application, so a response that drifts from its schema fails."""

from __future__ import annotations


def _nullable(schema: dict) -> dict:
    return schema | {"nullable": True}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
TEXT_OR_NULL = _nullable(STRING)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(name: str) -> dict:
    return _object({"items": {"type": "array", "items": _ref(name)}, "page": INTEGER, "pages": INTEGER,
                    "total": INTEGER})


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = {"$ref": "#/components/responses/Error"}
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "Page number, from 1."},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100},
     "description": "Items per page (at most API_MAX_PER_PAGE, 100 by default)."},
]


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _get(summary: str, response: dict, parameters: list | None = None, *, missing: bool = False,
         tag: str = "open data", security: bool = False, errors: tuple[str, ...] = ()) -> dict:
    responses = {"200": response, "304": {"description": "Not modified since the ETag or date the client sent."}}
    if missing:
        responses["404"] = ERROR
    for status in errors:
        responses[status] = ERROR
    operation = {"summary": summary, "tags": [tag], "parameters": parameters or [], "responses": responses}
    if security:
        operation["security"] = [{"unitToken": []}]
        operation["responses"]["401"] = ERROR
        del operation["responses"]["304"]
    return {"get": operation}


SCHEMAS = {
    "Error": _object({"error": _object({"status": INTEGER, "message": STRING})}),
    "PlanTask": _object({"no": INTEGER, "title": STRING, "title_en": TEXT_OR_NULL, "text": STRING,
                         "text_en": TEXT_OR_NULL, "lead_units": {"type": "array", "items": STRING},
                         "lead_unit_ids": {"type": "array", "items": INTEGER}}),
    "Plan": _object({
        "code": STRING, "version": INTEGER, "title": STRING, "document_no": TEXT_OR_NULL, "issued_on": DATE,
        "areas": {"type": "array", "items": _object({
            "no": INTEGER, "name": STRING, "name_en": TEXT_OR_NULL,
            "actions": {"type": "array", "items": _object({
                "no": INTEGER, "name": STRING, "name_en": TEXT_OR_NULL,
                "tasks": {"type": "array", "items": _ref("PlanTask")}})}})}}),
    "Council": _object({"id": INTEGER, "code": STRING, "name": STRING, "name_en": TEXT_OR_NULL,
                        "tier": {"type": "string", "enum": ["district", "town", "community"]},
                        "kind": STRING, "parent_id": _nullable(INTEGER), "is_demo": BOOLEAN}),
    "CouncilNode": {"allOf": [_ref("Council"), _object(
        {"children": {"type": "array", "items": _ref("CouncilNode")}})]},
    "Unit": _object({"id": INTEGER, "name": STRING, "name_en": TEXT_OR_NULL, "kind": STRING, "tier": STRING,
                     "routable": BOOLEAN, "members": {"type": "array", "items": INTEGER}}),
    "Proposal": _object({
        "id": INTEGER, "title": STRING, "council": _object({"id": INTEGER, "name": STRING}), "tier": STRING,
        "state": STRING, "state_label": STRING,
        "plan_task": _nullable(_object({"no": INTEGER, "title": STRING})), "supports": INTEGER,
        "created_at": DATETIME, "published_at": _nullable(DATETIME),
        "authors": {"type": "array", "items": STRING, "description": "Nicknames only, never a real name."},
        "on_behalf": BOOLEAN}),
    "ProposalDetail": {"allOf": [_ref("Proposal"), _object({
        "problem": STRING, "place": STRING, "idea": STRING, "who_helps": STRING,
        "timeline": {"type": "array", "items": _object({"at": DATETIME, "text": STRING, "state": TEXT_OR_NULL})}})]},
    "Session": _object({
        "id": INTEGER, "council": _object({"id": INTEGER, "name": STRING}), "title": STRING,
        "starts_at": DATETIME, "place": STRING, "online": BOOLEAN, "status": STRING, "members": INTEGER,
        "present": INTEGER, "quorum_met": _nullable(BOOLEAN)}),
    "AgendaItem": _object({
        "position": INTEGER, "kind": STRING, "proposal_id": _nullable(INTEGER), "secret": BOOLEAN,
        "tally": _nullable({"type": "object", "additionalProperties": INTEGER}), "outcome": STRING,
        "reason": TEXT_OR_NULL, "role": STRING, "elected": TEXT_OR_NULL,
        "candidates": {"type": "array", "items": _object({"nickname": STRING, "votes": _nullable(INTEGER)})}},
        required=["position", "kind", "proposal_id", "secret", "tally", "outcome", "reason"]),
    "SessionDetail": {"allOf": [_ref("Session"), _object({
        "items": {"type": "array", "items": _ref("AgendaItem")}, "minutes": TEXT_OR_NULL})]},
    "UnitFigures": _object({
        "id": INTEGER, "name": STRING, "name_en": TEXT_OR_NULL, "dispatched": INTEGER, "replied": INTEGER,
        "response_rate": _nullable(NUMBER), "on_time_rate": _nullable(NUMBER),
        "resolution_rate": _nullable(NUMBER), "satisfaction_rate": _nullable(NUMBER), "ranked": BOOLEAN}),
    "ServiceRequest": _object({
        "service_request_id": INTEGER, "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": TEXT_OR_NULL, "agency_responsible": STRING, "service_name": STRING,
        "description": STRING, "address": TEXT_OR_NULL, "requested_datetime": DATETIME,
        "expected_datetime": DATETIME, "updated_datetime": DATETIME, "state": STRING, "role": STRING,
        "acknowledge_due": DATE, "reply_due": DATE, "grade": TEXT_OR_NULL, "proposal_id": INTEGER,
        "title": STRING}),
}

SCHEMAS |= {
    "Campaign": _object({
        "id": INTEGER, "kind": {"type": "string", "enum": ["logo", "drawing", "lyrics", "slogan", "other"]},
        "title": STRING, "council": _nullable(_object({"id": INTEGER, "name": STRING})),
        "phase": {"type": "string", "enum": ["open", "reviewing", "voting", "judging", "results", "archived"]},
        "dates": _object({"reviewing_from": DATE, "voting_from": DATE, "judging_from": DATE, "results_from": DATE}),
        "age_groups": {"type": "array", "items": STRING},
        "formula": _object({"jury_weight": NUMBER, "public_weight": NUMBER,
                            "rubric": {"type": "array", "items": _object({"name": STRING, "weight": NUMBER})},
                            "winners_per_group": INTEGER}),
        "counts": _object({"entries": INTEGER, "approved": INTEGER, "votes": INTEGER})}),
    "CampaignEntry": _object({
        "id": INTEGER, "title": STRING, "description": STRING, "text": TEXT_OR_NULL, "age_group": STRING,
        "nickname": {"type": "string", "description": "The child's nickname; never a real name."},
        "council": _nullable(_object({"id": INTEGER, "name": STRING})),
        "image_url": _nullable({"type": "string", "format": "uri"}),
        "thumbnail_url": _nullable({"type": "string", "format": "uri"}),
        "votes": INTEGER, "jury_score": _nullable(NUMBER), "final_score": _nullable(NUMBER),
        "rank": _nullable(INTEGER), "winner": BOOLEAN},
        required=["id", "title", "description", "text", "age_group", "nickname", "council", "image_url",
                  "thumbnail_url"]),
    "Indicator": _object({
        "id": INTEGER, "code": STRING, "task_no": {"type": "integer", "minimum": 1, "maximum": 41},
        "area_no": {"type": "integer", "minimum": 1, "maximum": 5}, "name": STRING, "name_en": TEXT_OR_NULL,
        "label": STRING, "target": _nullable(NUMBER), "unit": STRING, "unit_en": TEXT_OR_NULL,
        "comparison": {"type": "string", "enum": ["at_least", "at_most", "change_per_year", "milestone"]},
        "baseline": _nullable(NUMBER), "baseline_year": _nullable(INTEGER), "deadline": INTEGER,
        "latest_value": {"nullable": True, "oneOf": [NUMBER, BOOLEAN],
                         "description": "The latest confirmed value; true/false for a milestone."},
        "latest_period": _nullable({"type": "string", "pattern": "^[0-9]{4}(-H[12])?$"}),
        "status": {"type": "string", "enum": ["achieved", "on_track", "behind", "overdue", "no_data"]},
        "report_overdue": BOOLEAN, "responsible_units": {"type": "array", "items": STRING}}),
}
SCHEMAS["CampaignDetail"] = {"allOf": [_ref("Campaign"), _object(
    {"entries": {"type": "array", "items": _ref("CampaignEntry")}})]}

for _name in ("Council", "Unit", "Proposal", "Session", "ServiceRequest", "UnitFigures", "Campaign", "Indicator"):
    SCHEMAS[f"{_name}Page"] = _page_of(_name)
SCHEMAS["CouncilTree"] = _page_of("CouncilNode")

FEATURE_SCHEMAS: dict[str, dict] = {}  # filled by feature modules that add endpoints (campaigns, indicators)
FEATURE_PATHS: dict[str, dict] = {}


def paths() -> dict:
    states = ["published", "on_agenda", "adopted", "not_adopted", "forwarded", "routed", "answered", "reopened",
              "closed"]
    paths = {
        "/plan": _get("The district's action plan: areas, actions, tasks and their lead units.",
                      _json(_ref("Plan")), missing=True),
        "/councils": _get(
            "The council tree, or with flat=1 a flat list by tier.",
            _json({"anyOf": [_ref("CouncilTree"), _ref("CouncilPage")]}),
            [_query("flat", {"type": "string", "enum": ["1"]}, "A flat, paged list instead of the tree."),
             _query("tier", {"type": "string", "enum": ["district", "town", "community"]}, "With flat=1."),
             *PAGE_PARAMETERS]),
        "/units": _get("Government units and groups that answer ideas.", _json(_ref("UnitPage")),
                       [_query("kind", STRING, "department, group or mechanism."), *PAGE_PARAMETERS]),
        "/proposals": _get(
            "Public ideas (nicknames only).", _json(_ref("ProposalPage")),
            [_query("q", {"type": "string", "maxLength": 50}, "Words to search for."),
             _query("council", INTEGER, "A council id; includes the councils below it."),
             _query("tier", {"type": "string", "enum": ["district", "town", "community"]}, "Council tier."),
             _query("state", {"type": "string", "enum": states}, "Public state."),
             _query("task", INTEGER, "Action plan task number."),
             _query("area", INTEGER, "Action plan area number."),
             _query("sort", {"type": "string", "enum": ["newest", "supported"]}, "Order."),
             *PAGE_PARAMETERS]),
        "/proposals/{proposal_id}": _get("One public idea with its timeline.", _json(_ref("ProposalDetail")),
                                         [_id("proposal_id")], missing=True),
        "/councils/{council_id}/sessions": _get("A council's sessions, newest first.", _json(_ref("SessionPage")),
                                                [_id("council_id"), *PAGE_PARAMETERS], missing=True),
        "/sessions/{session_id}": _get("One session with its agenda, votes and minutes.",
                                       _json(_ref("SessionDetail")), [_id("session_id")], missing=True),
        "/stats/units": _get("Each unit's supervision figures for a year (and month).",
                             _json(_ref("UnitFiguresPage")),
                             [_query("year", INTEGER, "Year of dispatch; default this year."),
                              _query("month", {"type": "integer", "minimum": 1, "maximum": 12}, "Optional month.")]),
        "/campaigns": _get("Campaigns (LOGO, drawing, lyrics …) past their preparation, newest first.",
                           _json(_ref("CampaignPage")), PAGE_PARAMETERS),
        "/campaigns/{campaign_id}": _get(
            "One campaign with its public entries (nickname and council only; votes and scores once the results "
            "are out).", _json(_ref("CampaignDetail")), [_id("campaign_id")], missing=True),
        "/plan/indicators": _get(
            "The action plan's measurable targets with their latest confirmed values and status.",
            _json(_ref("IndicatorPage"))),
        "/unit/requests": _get(
            "The calling unit's tasks as Open311 service requests, newest first.", _json(_ref("ServiceRequestPage")),
            [_query("status", {"type": "string", "enum": ["open", "closed"]}, "Open or closed tasks."),
             *PAGE_PARAMETERS], tag="units", security=True, errors=("400",)),
        "/unit/requests/{task_id}": _get("One task of the calling unit.", _json(_ref("ServiceRequest")),
                                         [_id("task_id")], missing=True, tag="units", security=True),
    }
    for action, fields, status in (
        ("acknowledge", {}, "200"),
        ("progress", {"status_notes": STRING}, "201"),
        ("reply", {"grade": {"type": "string", "enum": ["A", "B", "C", "D"]}, "summary": STRING,
                   "reply_text": STRING, "reason": STRING}, "200"),
        ("return", {"reason": STRING}, "200"),
    ):
        required = [name for name in fields if name not in ("reply_text", "reason") or action == "return"]
        operation = {
            "summary": f"{action.capitalize()} a task of the calling unit.", "tags": ["units"],
            "security": [{"unitToken": []}], "parameters": [_id("task_id")],
            "responses": {status: _json(_ref("ServiceRequest")), "400": ERROR, "401": ERROR, "403": ERROR,
                          "404": ERROR, "409": ERROR},
        }
        if fields:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": _object(fields, required)}}}
        paths[f"/unit/requests/{{task_id}}/{action}"] = {"post": operation}
    return paths | FEATURE_PATHS


def document() -> dict:
    from council.districts import current

    district = current()
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{district.platform_title_en or district.platform_title} — open data API",
            "version": "1",
            "description": "Read-only open data of the children's council platform (no child's real name, "
                           "class or school is ever in it), and the token API the responsible units' own "
                           "systems use to answer their tasks. Lists share one envelope: items, page, pages, "
                           "total. Responses carry ETag and Last-Modified; send If-None-Match to get 304.",
            "contact": {"name": district.data_protection_contact},
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "open data"}, {"name": "units", "description": "Needs a unit token."}],
        "paths": paths(),
        "components": {
            "schemas": SCHEMAS | FEATURE_SCHEMAS,
            "responses": {"Error": _json(_ref("Error"), "An error, with a message in the reader's language.")},
            "securitySchemes": {"unitToken": {"type": "http", "scheme": "bearer",
                                              "description": "A unit token issued by the coordinating office."}},
        },
    }
