"""Whether a request wrote to the database. The matrices that check "nothing changed" (tests/test_forms.py,
tests/test_access_posts.py) used to hash every row of every table around every request. A request that sent the
database no statement that can write cannot have changed a row, and one whose writes were all rolled back left
every row as it was: ``WriteWatch`` sees both, so the tables are hashed only when a write may have stayed. A
statement that merely mentions such a word (SELECT … FOR UPDATE) counts as a write: never wrong, only slower."""

from __future__ import annotations

import re

from sqlalchemy import event

WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|MERGE|UPSERT|CREATE|DROP|ALTER|TRUNCATE)\b", re.IGNORECASE)


class WriteWatch:
    """``with WriteWatch(db.engine) as watch: …``; then ``watch.wrote``: a statement that can write was sent, and
    ``watch.committed``: such a statement was sent in a transaction that was then committed."""

    def __init__(self, engine):
        self.engine = engine
        self.statements = 0
        self.committed = 0
        self._pending: dict[int, int] = {}  # per connection: write statements since its transaction began

    def _seen(self, connection, cursor, statement, parameters, context, executemany):
        if WRITE.search(statement):
            self.statements += 1
            self._pending[id(connection)] = self._pending.get(id(connection), 0) + 1

    def _commit(self, connection):
        if self._pending.pop(id(connection), 0):
            self.committed += 1

    def _rollback(self, connection):
        self._pending.pop(id(connection), None)

    @property
    def wrote(self) -> bool:
        return self.statements > 0

    def __enter__(self) -> WriteWatch:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        event.listen(self.engine, "commit", self._commit)
        event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)
        self.committed += bool(self._pending)  # writes still open when the request ended: assume they stay
