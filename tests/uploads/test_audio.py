"""Voice notes: sniffed by content, measured by decoding, refused when too long, too short, a video or not sound,
and re-encoded as Opus in Ogg without the original's metadata. The inputs are real files made here with PyAV."""

from __future__ import annotations

import hashlib
import io
import math
import os
from array import array

import av
import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from council.uploads.audio import ProcessedAudio, process_voice
from council.uploads.images import UploadRejected

# (container format, audio encoder) as each browser's MediaRecorder produces them, plus plain WAV.
RECORDINGS = {
    "webm-opus": ("webm", "libopus"),  # Chrome, Edge
    "ogg-opus": ("ogg", "libopus"),  # Firefox
    "mp4-aac": ("mp4", "aac"),  # Safari
    "wav-pcm": ("wav", "pcm_s16le"),
}


def tone(seconds: float, rate: int, frequency: int = 400) -> bytes:
    """Signed 16-bit mono PCM (native byte order, as FFmpeg's "s16") of a sine tone."""
    period = rate // frequency
    one = array("h", (int(9000 * math.sin(2 * math.pi * i / period)) for i in range(period)))
    samples = round(seconds * rate)
    pcm = one * (samples // period + 1)
    return pcm[:samples].tobytes()


def video_codec() -> tuple[str, str]:
    for codec, container in (("libvpx", "webm"), ("libvpx-vp9", "webm"), ("mpeg4", "mp4"), ("libx264", "mp4")):
        if codec in av.codecs_available:
            return codec, container
    pytest.skip("no video encoder in this FFmpeg build")


def record(
    container: str,
    codec: str | None,
    seconds: float = 3.0,
    *,
    rate: int = 48_000,
    metadata: dict[str, str] | None = None,
    video: str | None = None,
) -> bytes:
    """Encode a real file in memory: a tone on ``codec`` (None: no audio), optionally with a few video frames."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as out:
        out.metadata.update(metadata or {})
        picture = sound = None  # every stream is added before the first packet writes the header
        if video:
            picture = out.add_stream(video, rate=10)
            picture.width, picture.height, picture.pix_fmt = 64, 64, "yuv420p"
        if codec:
            sound = out.add_stream(codec, rate=rate, layout="mono")
            sound.metadata.update(metadata or {})
        if picture:
            for i in range(10):
                frame = av.VideoFrame.from_image(Image.new("RGB", (64, 64), (i * 20, 100, 200)))
                frame.pts = i
                out.mux(picture.encode(frame))
            out.mux(picture.encode(None))
        if sound:
            pcm = tone(seconds, rate)
            step = 960
            for start in range(0, len(pcm) // 2, step):
                chunk = pcm[start * 2 : (start + step) * 2]
                frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
                frame.planes[0].update(chunk)
                frame.sample_rate, frame.pts = rate, start
                out.mux(sound.encode(frame))
            out.mux(sound.encode(None))
    return buffer.getvalue()


def decoded_seconds(data: bytes) -> tuple[float, av.AudioStream]:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return samples / stream.sample_rate, stream


def rejected(data, **kwargs) -> str:
    with pytest.raises(UploadRejected) as info:
        process_voice(data, **kwargs)
    assert info.value.status == 400
    return info.value.message


@pytest.fixture(scope="module")
def recordings() -> dict[str, bytes]:
    return {name: record(*spec, metadata={"title": "secret-gps"}) for name, spec in RECORDINGS.items()}


# --- accepted recordings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_browser_recordings_are_reencoded_to_opus_in_ogg(name, recordings):
    source = recordings[name]
    upload = FileStorage(io.BytesIO(source), filename="voice.mp3", content_type="audio/mpeg")  # both ignored
    result = process_voice(upload)

    assert isinstance(result, ProcessedAudio)
    assert (result.content_type, result.extension) == ("audio/ogg", "ogg")
    assert result.data.startswith(b"OggS") and b"OpusHead" in result.data
    assert result.duration == pytest.approx(3.0, abs=0.3)
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()

    seconds, stream = decoded_seconds(result.data)
    assert seconds == pytest.approx(3.0, abs=0.3)
    assert stream.codec_context.name == "opus"
    assert stream.sample_rate == 48_000
    assert stream.codec_context.layout.nb_channels == 1


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_metadata_is_not_copied(name, recordings):
    source = recordings[name]
    assert b"secret-gps" in source  # the test is real
    result = process_voice(source)
    assert b"secret-gps" not in result.data
    assert b"title" not in result.data.lower()
    assert b"Lavf" not in result.data  # bitexact: not even the FFmpeg version
    with av.open(io.BytesIO(result.data)) as container:
        assert dict(container.metadata) == {}
        assert dict(container.streams.audio[0].metadata) == {}


def test_low_sample_rate_recording_becomes_48k():
    source = record("wav", "pcm_s16le", 2.0, rate=8_000)
    result = process_voice(source)
    assert result.duration == pytest.approx(2.0, abs=0.05)
    seconds, stream = decoded_seconds(result.data)
    assert stream.sample_rate == 48_000 and seconds == pytest.approx(2.0, abs=0.3)


def test_bytes_or_stream_both_work(recordings):
    source = recordings["ogg-opus"]
    assert process_voice(source).duration == process_voice(io.BytesIO(source)).duration


# --- refused recordings -------------------------------------------------------------------------------------------


def test_too_long_is_refused():
    source = record("wav", "pcm_s16le", 130.0, rate=8_000)
    assert len(source) < 5 * 1024 * 1024
    assert rejected(source) == "Your voice note is longer than 2 minutes. Please record a shorter one."


def test_custom_limit_in_seconds(recordings):
    assert "longer than 2 seconds" in rejected(recordings["webm-opus"], max_seconds=2)
    assert "longer than 1 minute." in rejected(record("wav", "pcm_s16le", 61.0, rate=8_000), max_seconds=60)


def test_decoding_stops_soon_after_the_limit(monkeypatch):
    """A long file is not decoded to the end: we count what reaches the resampler."""
    source = record("wav", "pcm_s16le", 600.0, rate=8_000)  # ten minutes, 9.6 MB
    fed: list[float] = []
    real = av.AudioResampler

    class CountingResampler:
        def __init__(self, *args, **kwargs):
            self.inner = real(*args, **kwargs)

        def resample(self, frame):
            if frame is not None:
                fed.append(frame.samples / frame.sample_rate)
            return self.inner.resample(frame)

    monkeypatch.setattr(av, "AudioResampler", CountingResampler)
    assert "2 minutes" in rejected(source, max_bytes=10 * 1024 * 1024)
    assert 100 < sum(fed) <= 120.0


def test_too_short_is_refused():
    assert "could not hear anything" in rejected(record("wav", "pcm_s16le", 0.2))
    assert "could not hear anything" in rejected(record("webm", "libopus", 0.2))


def test_video_with_sound_is_refused():
    codec, container = video_codec()
    audio = "libopus" if container == "webm" else "aac"
    source = record(container, audio, 1.0, video=codec)
    assert "looks like a video" in rejected(source)


def test_video_without_sound_is_refused():
    codec, container = video_codec()
    assert "looks like a video" in rejected(record(container, None, video=codec))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(os.urandom(4096), id="random-bytes"),
        pytest.param(b"Hello teacher, this is my idea.\n" * 20, id="text"),
        pytest.param(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(500), id="mp3-tag"),
        pytest.param(b"#EXTM3U\n#EXT-X-TARGETDURATION:10\nhttp://example.com/a.ts\n", id="hls-playlist"),
        pytest.param(b"ffconcat version 1.0\nfile /etc/passwd\n", id="ffconcat"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(100), id="png"),
    ],
)
def test_other_kinds_of_file_are_refused(data):
    if data[:4] in (b"\x1aE\xdf\xa3", b"OggS", b"RIFF") or data[4:8] == b"ftyp":  # random bytes, astronomically rare
        pytest.skip("random bytes happened to look like audio")
    upload = FileStorage(io.BytesIO(data), filename="voice.webm", content_type="audio/webm")
    assert "not a voice recording" in rejected(upload)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x1a\x45\xdf\xa3" + os.urandom(2000), id="webm-magic-then-garbage"),
        pytest.param(b"OggS" + os.urandom(2000), id="ogg-magic-then-garbage"),
        pytest.param(b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000), id="mp4-magic-then-garbage"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVE" + os.urandom(200), id="wav-magic-then-garbage"),
    ],
)
def test_undecodable_files_are_refused(data):
    message = rejected(data)
    assert "could not play" in message or "could not find any sound" in message or "could not hear" in message


def test_empty_and_oversize_are_refused(recordings):
    assert "empty" in rejected(b"")
    source = recordings["wav-pcm"]
    assert "too big" in rejected(source, max_bytes=len(source) - 1)
    assert "5 MB" in rejected(b"OggS" + bytes(5 * 1024 * 1024))
    assert process_voice(source, max_bytes=len(source)).extension == "ogg"
