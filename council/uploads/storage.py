"""Writes processed uploads under instance/uploads/ and records them. Only this module touches the disk."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from council.extensions import db
from council.uploads.models import FileKind, StoredFile


def upload_folder() -> Path:
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(name: str, data: bytes) -> None:
    path = upload_folder() / name
    path.write_bytes(data)


def store_image(processed, uploaded_by) -> StoredFile:
    stored = StoredFile(
        key=secrets.token_hex(16), kind=FileKind.image, content_type=processed.content_type,
        extension=processed.extension, byte_size=len(processed.data), sha256=processed.sha256,
        width=processed.width, height=processed.height, has_thumbnail=True, uploaded_by_id=uploaded_by.id,
    )
    _write(stored.filename, processed.data)
    _write(stored.thumbnail_name, processed.thumbnail)
    db.session.add(stored)
    return stored


def store_voice(processed, uploaded_by) -> StoredFile:
    stored = StoredFile(
        key=secrets.token_hex(16), kind=FileKind.voice, content_type=processed.content_type,
        extension=processed.extension, byte_size=len(processed.data), sha256=processed.sha256,
        duration=processed.duration, uploaded_by_id=uploaded_by.id,
    )
    _write(stored.filename, processed.data)
    db.session.add(stored)
    return stored


def path_of(stored: StoredFile, thumbnail: bool = False) -> Path:
    return upload_folder() / (stored.thumbnail_name if thumbnail and stored.has_thumbnail else stored.filename)
