import pytest

from council import create_app


@pytest.fixture(scope="module")
def upload_app():
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture(autouse=True)
def request_context(upload_app):
    # English, so the assertions read the source sentences whatever the Chinese catalogue says.
    with upload_app.test_request_context(headers={"Cookie": "lang=en"}):
        yield
