import pytest
from flask import abort

from council.errors import DomainError


@pytest.fixture
def failing_app(app):
    @app.get("/test-boom")
    def boom():
        raise RuntimeError("boom")

    @app.get("/test-refused")
    def refused():
        raise DomainError("这件事现在做不了。")

    @app.get("/test-forbidden")
    def forbidden():
        abort(403)

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize(("path", "status", "zh", "en"), [
    ("/nope", 404, "找不到这个页面", "We could not find this page"),
    ("/test-forbidden", 403, "你不能打开这个页面", "You cannot open this page"),
    ("/test-boom", 500, "出了点问题", "Something went wrong on our side"),
])
def test_error_pages_in_both_languages(failing_app, path, status, zh, en):
    client = failing_app.test_client()
    response = client.get(path)
    assert response.status_code == status
    assert zh in response.get_data(as_text=True)
    client.get("/lang/en")
    response = client.get(path)
    assert response.status_code == status
    assert en in response.get_data(as_text=True)


def test_a_refused_action_is_a_clear_message_not_a_500(failing_app):
    response = failing_app.test_client().get("/test-refused")
    assert response.status_code == 409
    assert "这件事现在做不了。" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
