"""Voice notes children record in the browser (or pick from their device): checked by their content, decoded in full
to measure how long they really are, and re-encoded as Opus in Ogg with no metadata from the original.

MediaRecorder gives WebM/Opus (Chrome, Edge), Ogg/Opus (Firefox) or MP4/AAC (Safari); WAV is accepted too.
The browser's file name and declared type are ignored.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import BinaryIO

import av
from flask_babel import gettext as _
from flask_babel import ngettext

from council.uploads.images import UploadRejected, format_megabytes, read_limited

MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 120.0
MIN_SECONDS = 0.5
OUTPUT_RATE = 48_000
OUTPUT_BIT_RATE = 32_000

# Errors the demuxers and decoders raise on damaged or hostile input. InvalidDataError is an FFmpegError.
_DECODE_ERRORS = (av.FFmpegError, OSError, ValueError, EOFError, IndexError, KeyError, TypeError, ZeroDivisionError)


@dataclass(frozen=True)
class ProcessedAudio:
    data: bytes
    content_type: str  # always "audio/ogg" (Opus in Ogg), re-encoded, metadata dropped
    extension: str  # "ogg"
    duration: float  # seconds, measured by decoding
    sha256: str


def _sniff(head: bytes) -> str | None:
    """The FFmpeg demuxer for the file's first bytes. Forcing it means FFmpeg never guesses (no playlists or
    other formats that could reach for further files)."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"  # WebM is Matroska
    if head.startswith(b"OggS"):
        return "ogg"
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "mp4"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    return None


def _too_long(max_seconds: float) -> UploadRejected:
    if max_seconds >= 60 and max_seconds % 60 == 0:
        minutes = int(max_seconds // 60)
        return UploadRejected(ngettext("Your voice note is longer than %(num)s minute. Please record a shorter one.",
                                       "Your voice note is longer than %(num)s minutes. Please record a shorter one.",
                                       minutes))
    seconds = int(max_seconds)
    return UploadRejected(ngettext("Your voice note is longer than %(num)s second. Please record a shorter one.",
                                   "Your voice note is longer than %(num)s seconds. Please record a shorter one.",
                                   seconds))


def _broken() -> UploadRejected:
    return UploadRejected(_("We could not play this voice note. The file may be broken or incomplete. "
                            "Please record it again."))


def process_voice(
    stream: BinaryIO | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_seconds: float = MAX_SECONDS,
) -> ProcessedAudio:
    """Check, measure and re-encode one voice note, or raise :class:`UploadRejected`."""
    data = read_limited(stream, max_bytes)
    if not data:
        raise UploadRejected(_("This voice note is empty. Please record it again."))
    if len(data) > max_bytes:
        raise UploadRejected(_("This voice note is too big. Please choose one smaller than %(mb)s MB.",
                               mb=format_megabytes(max_bytes)))
    demuxer = _sniff(data[:16])
    if demuxer is None:
        raise UploadRejected(_("This file is not a voice recording we can use. "
                               "Please record your voice here, or choose a sound file."))

    try:
        source = av.open(io.BytesIO(data), mode="r", format=demuxer, metadata_errors="ignore")
    except _DECODE_ERRORS as exc:
        raise _broken() from exc
    with source:
        if source.streams.video:
            raise UploadRejected(_("This looks like a video. Please send only your voice: "
                                   "record it here, or choose a sound file."))
        if not source.streams.audio:
            raise UploadRejected(_("We could not find any sound in this file. Please record your voice again."))
        try:
            encoded, seconds = _transcode(source, source.streams.audio[0], max_seconds)
        except UploadRejected:
            raise
        except _DECODE_ERRORS as exc:
            raise _broken() from exc

    if seconds < MIN_SECONDS:
        raise UploadRejected(_("We could not hear anything. Please hold the button a little longer "
                               "and say your idea again."))
    return ProcessedAudio(
        data=encoded,
        content_type="audio/ogg",
        extension="ogg",
        duration=round(seconds, 3),
        sha256=hashlib.sha256(encoded).hexdigest(),
    )


def _transcode(source: av.container.InputContainer, audio: av.AudioStream, max_seconds: float) -> tuple[bytes, float]:
    """Decode every frame of ``audio`` (counting samples, never trusting the header), resample to 48 kHz mono
    and encode as Opus. Stops as soon as the sound runs past ``max_seconds``."""
    buffer = io.BytesIO()
    # bitexact: the Ogg headers carry no FFmpeg version string; nothing from the source container is copied.
    with av.open(buffer, mode="w", format="ogg", container_options={"fflags": "+bitexact"}) as target:
        out = target.add_stream("libopus", rate=OUTPUT_RATE, layout="mono")
        out.bit_rate = OUTPUT_BIT_RATE
        resampler = av.AudioResampler(format="s16", layout="mono", rate=OUTPUT_RATE)
        seconds = 0.0
        for frame in source.decode(audio):
            if frame.sample_rate <= 0:
                raise _broken()
            seconds += frame.samples / frame.sample_rate
            if seconds > max_seconds:
                raise _too_long(max_seconds)
            frame.pts = None  # the resampler and encoder count samples themselves
            for resampled in resampler.resample(frame):
                target.mux(out.encode(resampled))
        for resampled in resampler.resample(None):
            target.mux(out.encode(resampled))
        target.mux(out.encode(None))
    return buffer.getvalue(), seconds
