"""Uploaded pictures: sniffed by content, decoded under a pixel limit, turned upright and stripped of metadata."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from council.uploads.images import ProcessedImage, UploadRejected, process_image

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def two_halves(size=(200, 100), left=(255, 0, 0), right=(0, 0, 255), mode="RGB") -> Image.Image:
    im = Image.new(mode, size, right)
    ImageDraw.Draw(im).rectangle((0, 0, size[0] // 2 - 1, size[1] - 1), fill=left)
    return im


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[MODEL] = "Secret Model X"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (36.0, 48.0, 12.5)  # GPSLatitude
    gps[3] = "E"  # GPSLongitudeRef
    gps[4] = (117.0, 51.0, 3.25)  # GPSLongitude
    return exif


def close(pixel, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


def reopen(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def patched_png(width: int, height: int) -> bytes:
    """A tiny valid-looking PNG whose IHDR claims ``width`` x ``height`` (no pixel data to match)."""
    data = bytearray(encode(Image.new("1", (8, 8)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def rejected(data, **kwargs) -> str:
    with pytest.raises(UploadRejected) as info:
        process_image(data, **kwargs)
    assert info.value.status == 400
    return info.value.message


# --- metadata and orientation -------------------------------------------------------------------------------------


def test_gps_exif_camera_model_and_comment_are_removed():
    source = encode(two_halves(), "JPEG", exif=gps_exif(), comment=b"secret-comment")
    assert b"Exif" in source and b"Secret Model X" in source and b"secret-comment" in source  # the test is real
    assert reopen(source).getexif().get_ifd(GPS_IFD)

    result = process_image(source)

    assert isinstance(result, ProcessedImage)
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")
    for blob in (result.data, result.thumbnail):
        out = reopen(blob)
        assert out.format == "JPEG"
        assert dict(out.getexif()) == {}
        assert GPS_IFD not in out.getexif()
        assert "exif" not in out.info and "comment" not in out.info and "xmp" not in out.info
        for secret in (b"Exif", b"SpyCam", b"Secret Model X", b"secret-comment", b"GPS"):
            assert secret not in blob


def test_output_jpeg_is_progressive_rgb():
    out = reopen(process_image(encode(two_halves(), "JPEG")).data)
    assert out.mode == "RGB"
    assert out.info.get("progressive") or out.info.get("progression")


def test_exif_orientation_is_applied_before_metadata_is_dropped():
    # Orientation 6: the camera was turned; viewers rotate 90° clockwise, so the left half ends up on top.
    source = encode(two_halves((200, 100)), "JPEG", exif=gps_exif(orientation=6), quality=95)
    result = process_image(source)
    out = reopen(result.data)
    assert (result.width, result.height) == (100, 200) == out.size
    assert ORIENTATION not in out.getexif()
    assert close(out.getpixel((50, 20)), (255, 0, 0))
    assert close(out.getpixel((50, 180)), (0, 0, 255))


def test_png_text_chunks_are_removed():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret-text-chunk")
    source = encode(two_halves(), "PNG", pnginfo=info, exif=gps_exif())
    result = process_image(source)
    assert b"secret-text-chunk" not in result.data and b"Secret Model X" not in result.data
    assert b"eXIf" not in result.data and b"tEXt" not in result.data
    assert dict(reopen(result.data).getexif()) == {}


# --- formats ------------------------------------------------------------------------------------------------------


def test_png_with_alpha_stays_png_with_alpha():
    im = Image.new("RGBA", (120, 80), (0, 128, 0, 255))
    ImageDraw.Draw(im).rectangle((0, 0, 59, 79), fill=(0, 0, 0, 0))
    result = process_image(encode(im, "PNG"))
    assert (result.content_type, result.extension) == ("image/png", "png")
    out = reopen(result.data)
    assert out.format == "PNG" and out.mode == "RGBA"
    assert out.getpixel((10, 10))[3] == 0
    assert out.getpixel((100, 10)) == (0, 128, 0, 255)
    assert reopen(result.thumbnail).mode == "RGBA"


def test_palette_png_with_transparency_keeps_it():
    im = Image.new("P", (40, 40), 0)
    im.putpalette([255, 255, 255, 255, 0, 0] + [0] * 762)
    ImageDraw.Draw(im).rectangle((20, 0, 39, 39), fill=1)
    result = process_image(encode(im, "PNG", transparency=0))
    out = reopen(result.data)
    assert out.mode == "RGBA"
    assert out.getpixel((5, 5))[3] == 0
    assert out.getpixel((30, 5)) == (255, 0, 0, 255)


def test_greyscale_png_stays_greyscale():
    out = reopen(process_image(encode(Image.linear_gradient("L"), "PNG")).data)
    assert out.format == "PNG" and out.mode == "L"


def test_webp_works_with_and_without_alpha():
    result = process_image(encode(two_halves(), "WEBP", exif=gps_exif()))
    assert (result.content_type, result.extension) == ("image/webp", "webp")
    out = reopen(result.data)
    assert out.format == "WEBP" and out.size == (200, 100)
    assert b"EXIF" not in result.data and b"Secret Model X" not in result.data
    assert close(out.getpixel((20, 50)), (255, 0, 0))

    transparent = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    out = reopen(process_image(encode(transparent, "WEBP", lossless=True)).data)
    assert out.mode == "RGBA" and out.getpixel((5, 5))[3] == 0


def test_cmyk_jpeg_becomes_rgb():
    out = reopen(process_image(encode(Image.new("CMYK", (50, 50), (0, 255, 255, 0)), "JPEG")).data)
    assert out.mode == "RGB"
    assert close(out.getpixel((25, 25)), (255, 0, 0), tolerance=60)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_picture_keeps_only_the_first_frame(fmt):
    frames = [Image.new("RGB", (60, 60), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    source = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert getattr(reopen(source), "n_frames", 1) == 2
    result = process_image(source)
    out = reopen(result.data)
    assert getattr(out, "n_frames", 1) == 1
    assert b"acTL" not in result.data and b"ANIM" not in result.data
    assert close(out.convert("RGB").getpixel((30, 30)), (255, 0, 0))


def test_a_jpg_that_is_really_a_png_is_processed_as_png():
    upload = FileStorage(io.BytesIO(encode(two_halves(), "PNG")), filename="holiday.jpg", content_type="image/jpeg")
    result = process_image(upload)
    assert (result.content_type, result.extension) == ("image/png", "png")
    assert reopen(result.data).format == "PNG"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encode(two_halves(), "GIF"), id="gif"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"),
        pytest.param(b"<!doctype html><html><body>hi</body></html>", id="html"),
        pytest.param(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", id="pdf"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), id="exe-renamed-jpg"),
        pytest.param(encode(two_halves(), "BMP"), id="bmp"),
        pytest.param(b"RIFF\x10\x00\x00\x00WAVEfmt ", id="wav"),
    ],
)
def test_other_kinds_of_file_are_refused(data):
    upload = FileStorage(io.BytesIO(data), filename="drawing.jpg", content_type="image/jpeg")
    message = rejected(upload)
    assert "JPG, PNG or WebP" in message


def test_empty_file_is_refused():
    assert "empty" in rejected(b"")
    assert "empty" in rejected(io.BytesIO(b""))


# --- broken and hostile files -------------------------------------------------------------------------------------


def test_truncated_jpeg_is_refused():
    im = Image.linear_gradient("L").resize((600, 600)).convert("RGB")
    source = encode(im, "JPEG", quality=95)
    message = rejected(source[: len(source) // 2])
    assert "could not open this picture" in message


def test_magic_bytes_without_a_real_picture_are_refused():
    assert "could not open" in rejected(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)
    assert "could not open" in rejected(b"\xff\xd8\xff" + b"\x00" * 50)
    assert "could not open" in rejected(b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x01" * 30)


def test_corrupt_png_data_is_refused():
    source = bytearray(encode(two_halves(), "PNG"))
    idat = source.index(b"IDAT")
    source[idat + 10 : idat + 40] = b"\xff" * 30
    assert "could not open" in rejected(bytes(source))


@pytest.mark.parametrize("size", [(30_000, 30_000), (10_000, 10_000), (8_000, 8_000)])
def test_decompression_bomb_header_is_refused_before_decoding(size):
    # 900 Mpx: Pillow's own error; 100 Mpx: Pillow's warning (an error under -W error, caught either way);
    # 64 Mpx: our own limit. The files hold no pixel data, so a "broken picture" would mean decoding was tried.
    assert "too many pixels" in rejected(patched_png(*size))


def test_pillow_warning_does_not_escape_even_with_a_generous_limit():
    # Above Pillow's default MAX_IMAGE_PIXELS (about 89 Mpx) but within the caller's limit: still refused kindly.
    assert "too many pixels" in rejected(patched_png(10_000, 10_000), max_pixels=150_000_000)
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # the global is never changed


def test_real_highly_compressible_bomb_is_refused():
    source = encode(Image.new("1", (8_000, 6_000)), "PNG", optimize=True)  # 48 Mpx in a few kilobytes
    assert len(source) < 100_000
    assert "too many pixels" in rejected(source)


def test_oversize_file_is_refused_without_reading_everything():
    class CountingStream(io.BytesIO):
        read_sizes: list[int] = []

        def read(self, size=-1):
            self.read_sizes.append(size)
            return super().read(size)

    stream = CountingStream(b"\xff\xd8\xff" + bytes(5000))
    message = rejected(stream, max_bytes=1000)
    assert message == "This picture is too big. Please choose one smaller than 0.00095 MB."
    assert stream.read_sizes == [1001]
    assert "8 MB" in rejected(b"\x89PNG\r\n\x1a\n" + bytes(8 * 1024 * 1024))


def test_exactly_max_bytes_is_accepted():
    source = encode(two_halves(), "PNG")
    assert process_image(source, max_bytes=len(source)).extension == "png"


# --- sizes and hashes ---------------------------------------------------------------------------------------------


def test_big_picture_is_downscaled_and_thumbnail_is_320():
    im = Image.linear_gradient("L").resize((3000, 1500)).convert("RGB")
    result = process_image(encode(im, "JPEG"))
    assert (result.width, result.height) == (2400, 1200)
    assert reopen(result.data).size == (2400, 1200)
    thumb = reopen(result.thumbnail)
    assert thumb.format == "JPEG" and max(thumb.size) == 320 and thumb.size == (320, 160)


def test_portrait_png_downscaled_to_custom_limits():
    result = process_image(encode(Image.new("RGBA", (900, 1800), (1, 2, 3, 128)), "PNG"), max_side=600, thumb_size=100)
    assert (result.width, result.height) == (300, 600)
    assert reopen(result.thumbnail).size == (50, 100)


def test_small_picture_is_not_enlarged():
    result = process_image(encode(two_halves((120, 90)), "PNG"))
    assert (result.width, result.height) == (120, 90)
    assert reopen(result.thumbnail).size == (120, 90)


def test_sha256_is_of_the_reencoded_data():
    result = process_image(encode(two_halves(), "WEBP"))
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()
    assert len(result.sha256) == 64


def test_sixteen_bit_greyscale_png_is_scaled_to_eight_bits():
    out = reopen(process_image(encode(Image.new("I;16", (30, 20), 50_000), "PNG")).data)
    assert out.mode == "L" and out.getpixel((1, 1)) == 195
