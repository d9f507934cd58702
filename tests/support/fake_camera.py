"""A camera for Chromium made from a test photo: a .y4m video and a page that grabs one of its frames.

Chromium plays `--use-file-for-fake-video-capture=FILE.y4m` (in a loop) to every getUserMedia call
of that browser process. A y4m file is a one-line header and then, per frame, `FRAME\\n` and the
I420 planes: full-size Y, then U and V at half width and height.
"""
from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from tests.support.browser import TEST_OUTPUT, serve_html

FACES = Path(__file__).resolve().parent.parent / "fixtures" / "faces"
CAMERA_CACHE = TEST_OUTPUT / "fake-camera"
BACKGROUND = (128, 128, 128)


def camera_frame(photo: Path, *, width: int, height: int) -> Image.Image:
    """The photo as the camera shows it: fitted into the frame, centred on a grey background."""
    with Image.open(photo) as image:
        return ImageOps.pad(ImageOps.exif_transpose(image).convert("RGB"), (width, height), color=BACKGROUND)


def i420_planes(frame: Image.Image) -> bytes:
    """Y, U and V planes in video (limited) range, BT.601, chroma averaged over 2×2 pixels."""
    ycbcr = np.asarray(frame.convert("YCbCr"), dtype=np.float64)  # full-range JPEG YCbCr
    y = 16 + ycbcr[:, :, 0] * 219 / 255
    height, width = y.shape
    chroma = []
    for channel in (1, 2):
        c = 16 + ycbcr[:, :, channel] * 224 / 255
        chroma.append(c.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)))
    return b"".join(np.clip(np.rint(plane), 0, 255).astype(np.uint8).tobytes() for plane in (y, *chroma))


def write_y4m(photo: Path, target: Path, *, width: int = 480, height: int = 640, fps: int = 15,
              seconds: float = 3.0) -> Path:
    """A still video of the photo: `seconds` of identical frames (portrait, like a phone's front camera)."""
    if width % 2 or height % 2:
        raise ValueError("I420 needs even dimensions")
    planes = i420_planes(camera_frame(photo, width=width, height=height))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    with partial.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(max(1, round(fps * seconds))):
            out.write(b"FRAME\n")
            out.write(planes)
    partial.replace(target)  # atomic: a parallel run never reads half a file
    return target


def fake_camera_video(photo_name: str, *, width: int = 480, height: int = 640, fps: int = 15,
                      seconds: float = 3.0) -> Path:
    """The y4m for a photo of tests/fixtures/faces/, made once and cached under var/test-output/."""
    photo = FACES / photo_name
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()[:12]
    target = CAMERA_CACHE / f"{photo.stem}-{digest}-{width}x{height}-{fps}fps-{seconds:g}s.y4m"
    if not target.exists():
        write_y4m(photo, target, width=width, height=height, fps=fps, seconds=seconds)
    return target


# A page of our own to read what the camera shows, served at the app's origin by the browser's router
# (getUserMedia needs a secure context, which http://127.0.0.1 is).
CAMERA_PROBE_PATH = "/__test__/camera-probe"
CAMERA_PROBE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Camera probe</title></head>
<body><main><h1>Camera probe</h1><video autoplay muted playsinline></video><canvas></canvas></main>
<script>
window.grabFrame = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: 'user'}, audio: false});
  const video = document.querySelector('video');
  video.srcObject = stream;
  await video.play();
  // Two frames in, so the picture is a decoded frame and not the element's first blank paint.
  for (let i = 0; i < 2; i++) await new Promise(done => video.requestVideoFrameCallback(done));
  const canvas = document.querySelector('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  stream.getTracks().forEach(track => track.stop());
  return canvas.toDataURL('image/png');
};
</script></body></html>"""


def grab_camera_frame(page, origin: str) -> bytes:
    """Open the probe page at `origin`, take one frame from getUserMedia, return it as PNG bytes."""
    url = origin.rstrip("/") + CAMERA_PROBE_PATH
    serve_html(page, url, CAMERA_PROBE_HTML)
    page.goto(url)
    data_url = page.evaluate("() => grabFrame()")
    return base64.b64decode(data_url.split(",", 1)[1])
