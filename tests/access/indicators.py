"""This feature's rows in the authorization matrix (tests/test_access.py).

``pages()`` runs with the demo loaded and returns {concrete path: (accounts that get 200, what other signed-in
accounts get, what a visitor gets)}; ``RULES`` lists the url rules these paths (or other tests, named in a
comment) cover."""

RULES: set[str] = set()


def pages() -> dict[str, tuple[set[str], int, int]]:
    return {}
