"""Pictures children upload: checked by their content, decoded under a pixel limit, turned the right way up,
shrunk, and re-encoded from the pixels alone so no EXIF, GPS position, XMP, camera model or comment survives.

Nothing the browser says about the file (its name, extension or declared type) is trusted: the first bytes
decide what the file is, and Pillow must agree.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from PIL import Image, ImageOps

from council.errors import DomainError

THUMB_SIZE = 320
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400
JPEG_QUALITY = 85
WEBP_QUALITY = 85


class UploadRejected(DomainError):
    """An uploaded file we will not keep. ``message`` is a translated sentence a child can understand."""

    status = 400


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes  # re-encoded full image
    thumbnail: bytes  # re-encoded thumbnail, longest side at most thumb_size, same format as data
    content_type: str  # "image/jpeg" | "image/png" | "image/webp"
    extension: str  # "jpg" | "png" | "webp"
    width: int
    height: int
    sha256: str  # of data


@dataclass(frozen=True)
class _Kind:
    pillow_format: str
    content_type: str
    extension: str


_JPEG = _Kind("JPEG", "image/jpeg", "jpg")
_PNG = _Kind("PNG", "image/png", "png")
_WEBP = _Kind("WEBP", "image/webp", "webp")

# What Pillow (and its C decoders) raise on damaged or hostile input. Any of these means "broken picture".
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError, TypeError,
                  ZeroDivisionError)


def read_limited(stream: BinaryIO | bytes | bytearray | memoryview, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes, so "one byte too many" is detectable without reading a huge upload."""
    if isinstance(stream, (bytes, bytearray, memoryview)):
        return bytes(stream[: max_bytes + 1])
    data = stream.read(max_bytes + 1)
    return bytes(data or b"")


def format_megabytes(max_bytes: int) -> str:
    """8 MiB -> "8", 7.85 MiB -> "7.8" (rounded down, so the promise holds), tiny limits -> "0.00095"."""
    megabytes = max_bytes / (1024 * 1024)
    if megabytes >= 1:
        return f"{math.floor(megabytes * 10) / 10:g}"
    return f"{megabytes:.2g}"


def _sniff(head: bytes) -> _Kind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    return None


def _too_many_pixels() -> UploadRejected:
    return UploadRejected(_("This picture has too many pixels for us to open safely. "
                            "Please choose a smaller picture or take a new photo."))


def _broken() -> UploadRejected:
    return UploadRejected(_("We could not open this picture. The file may be broken or incomplete. "
                            "Please try another picture."))


def _target_size(width: int, height: int, longest: int) -> tuple[int, int]:
    if max(width, height) <= longest:
        return width, height
    scale = longest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info


def _normalise_mode(im: Image.Image, kind: _Kind) -> Image.Image:
    """Modes the encoders and browsers handle well: RGB for JPEG (alpha flattened on white), RGB/RGBA or L
    for PNG, RGB/RGBA for WebP."""
    alpha = _has_alpha(im)
    if kind is _JPEG:
        if alpha:
            rgba = im.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            return Image.alpha_composite(white, rgba).convert("RGB")
        return im if im.mode == "RGB" else im.convert("RGB")
    if alpha:
        return im if im.mode == "RGBA" else im.convert("RGBA")
    if kind is _PNG and im.mode in ("1", "L"):
        return im if im.mode == "L" else im.convert("L")
    if im.mode.startswith("I") or im.mode == "F":  # 16-bit or 32-bit greyscale: scale down to 8 bits
        grey = im.convert("I").point(lambda value: value / 256).convert("L")
        return grey if kind is _PNG else grey.convert("RGB")
    return im if im.mode == "RGB" else im.convert("RGB")


def _clean_icc(profile: object, mode: str) -> bytes | None:
    """Keep an RGB colour profile on RGB output (phone photos look right); drop anything else."""
    if isinstance(profile, bytes) and len(profile) >= 20 and profile[16:20] == b"RGB " and mode in ("RGB", "RGBA"):
        return profile
    return None


def _encode(im: Image.Image, kind: _Kind, icc: bytes | None) -> bytes:
    # A brand-new image from the raw pixels: no info dict, no EXIF, XMP, comments or text chunks to carry over.
    clean = Image.frombytes(im.mode, im.size, im.tobytes())
    extra = {"icc_profile": icc} if icc else {}
    out = io.BytesIO()
    if kind is _JPEG:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True, **extra)
    elif kind is _PNG:
        clean.save(out, "PNG", optimize=True, **extra)
    else:
        clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    return out.getvalue()


def process_image(
    stream: BinaryIO | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    max_side: int = MAX_SIDE,
    thumb_size: int = THUMB_SIZE,
) -> ProcessedImage:
    """Check, clean and re-encode one uploaded picture, or raise :class:`UploadRejected`."""
    data = read_limited(stream, max_bytes)
    if not data:
        raise UploadRejected(_("This picture is empty. Please choose another one."))
    if len(data) > max_bytes:
        raise UploadRejected(_("This picture is too big. Please choose one smaller than %(mb)s MB.",
                               mb=format_megabytes(max_bytes)))
    kind = _sniff(data[:16])
    if kind is None:
        raise UploadRejected(_("We can only use photos and drawings saved as JPG, PNG or WebP. "
                               "Please choose a picture of one of these kinds."))

    with warnings.catch_warnings():
        # Pillow's own warnings must not reach the log (or fail a test run with -W error); its decompression-bomb
        # warning becomes an error we turn into a refusal. Our explicit check below is the real limit.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=[kind.pillow_format])  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except _DECODE_ERRORS as exc:
            raise _broken() from exc
        with im:
            if im.format != kind.pillow_format:
                raise _broken()
            width, height = im.size
            if width < 1 or height < 1:
                raise _broken()
            if width * height > max_pixels:  # before a single pixel is decoded
                raise _too_many_pixels()
            try:
                if getattr(im, "n_frames", 1) > 1:
                    im.seek(0)  # animated PNG or WebP: the first frame only
                if kind is _JPEG:  # let libjpeg decode at 1/2, 1/4 or 1/8 scale when that is still big enough
                    im.draft("RGB", _target_size(width, height, max_side))
                im.load()
                icc_source = im.info.get("icc_profile")
                try:
                    upright = ImageOps.exif_transpose(im)
                except _DECODE_ERRORS:  # unreadable EXIF: keep the picture as stored rather than refuse it
                    upright = im
                picture = _normalise_mode(upright, kind)
                picture = picture.resize(_target_size(*picture.size, max_side), Image.Resampling.LANCZOS,
                                         reducing_gap=3.0) if max(picture.size) > max_side else picture
                thumb = picture.resize(_target_size(*picture.size, thumb_size), Image.Resampling.LANCZOS,
                                       reducing_gap=3.0) if max(picture.size) > thumb_size else picture
                icc = _clean_icc(icc_source, picture.mode)
                full_bytes = _encode(picture, kind, icc)
                thumb_bytes = _encode(thumb, kind, icc)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels() from None
            except _DECODE_ERRORS as exc:
                raise _broken() from exc

    return ProcessedImage(
        data=full_bytes,
        thumbnail=thumb_bytes,
        content_type=kind.content_type,
        extension=kind.extension,
        width=picture.width,
        height=picture.height,
        sha256=hashlib.sha256(full_bytes).hexdigest(),
    )
