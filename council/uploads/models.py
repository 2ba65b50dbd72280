from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from council.calendar import clock
from council.db import LabeledEnum, UTCDateTime, enum_column
from council.extensions import db


class FileKind(LabeledEnum):
    image = "image", _l("Picture")
    voice = "voice", _l("Voice note")


class StoredFile(db.Model):
    """A file that went through the upload pipeline: re-encoded, renamed at random, metadata gone."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # random; also the name on disk
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind))
    content_type: Mapped[str] = mapped_column(String(64))
    extension: Mapped[str] = mapped_column(String(8))
    byte_size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int | None]
    height: Mapped[int | None]
    duration: Mapped[float | None]
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    @property
    def filename(self) -> str:
        return f"{self.key}.{self.extension}"

    @property
    def thumbnail_name(self) -> str:
        return f"{self.key}.thumb.{self.extension}"
