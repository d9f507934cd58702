import io
import struct
import zlib

import pytest
from PIL import Image

from face.config import FaceConfig
from face.intake import PhotoRejected, read_photo, sniff_photo_type
from tests.support.photos import photo_bytes

CONFIG = FaceConfig()


def encoded(fmt: str, size=(64, 48), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def rejection(data: bytes, config: FaceConfig = CONFIG) -> str:
    with pytest.raises(PhotoRejected) as caught:
        read_photo(data, config=config)
    return caught.value.code


@pytest.mark.parametrize("fmt, kind", [("JPEG", "jpeg"), ("PNG", "png"), ("WEBP", "webp")])
def test_accepts_jpeg_png_webp_by_content(fmt, kind):
    data = encoded(fmt)
    assert sniff_photo_type(data) == kind
    image = read_photo(data, config=CONFIG)
    assert image.shape == (48, 64, 3)
    assert abs(int(image[0, 0, 2]) - 120) < 8  # red channel lands last: BGR order


def test_type_comes_from_magic_bytes_not_the_name():
    # Bytes only reach us; a PNG that a phone called "selfie.jpg" is still read as PNG.
    assert sniff_photo_type(encoded("PNG")) == "png"
    assert read_photo(encoded("PNG"), config=CONFIG).shape == (48, 64, 3)


@pytest.mark.parametrize(
    "data",
    [encoded("GIF"), encoded("BMP"), b"hello, this is text pretending to be a photo", b""],
)
def test_rejects_other_types(data):
    assert rejection(data) == "photo_type_unsupported"


def test_rejects_oversize_upload_before_reading_it():
    small_limit = FaceConfig(max_upload_bytes=10_000)
    assert rejection(photo_bytes("obama.jpg"), small_limit) == "photo_too_large"


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header promises a huge image: a decompression bomb's calling card."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    header = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat_data = zlib.compress(b"\x00" * 1024)
    idat = b"IDAT" + idat_data
    body = struct.pack(">I", len(idat_data)) + idat + struct.pack(">I", zlib.crc32(idat))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + header + body + end


@pytest.mark.parametrize("width, height", [(20_000, 20_000), (60_000, 60_000)])
def test_rejects_decompression_bomb_from_header(width, height):
    assert rejection(png_header_claiming(width, height)) == "photo_too_many_pixels"


def test_rejects_truncated_photo():
    data = photo_bytes("obama.jpg")
    assert rejection(data[: len(data) // 3]) == "photo_unreadable"


def test_rejects_jpeg_magic_with_garbage():
    assert rejection(b"\xff\xd8\xff" + b"\x00" * 500) == "photo_unreadable"


def test_downscales_to_max_side():
    image = read_photo(photo_bytes("obama.jpg"), config=CONFIG, max_side=480)
    assert max(image.shape[:2]) == 480


def test_applies_exif_orientation():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display", as phones write it
    Image.new("RGB", (80, 40), "white").save(buffer, format="JPEG", exif=exif)
    assert read_photo(buffer.getvalue(), config=CONFIG).shape[:2] == (80, 40)


def test_rejects_truncated_photo_after_the_pdf_reports_are_loaded():
    import engine.reports.formats.pdf_format  # noqa: F401  (imports WeasyPrint, which touches Pillow's settings)

    data = photo_bytes("obama.jpg")
    assert rejection(data[: len(data) // 3]) == "photo_unreadable"
