"""Draw the app's icons (a clock on the ministry's blue) as SVG and PNG, from one set of shapes.

    python -m web.draw_icons     # rewrites web/static/icons/

Sizes: 192 and 512 for the manifest ("any"), a 512 maskable one whose drawing stays inside the
central 80 % safe zone, 180 for iOS (apple-touch-icon), 32 for the browser tab. The PNGs are committed.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent / "static" / "icons"
BLUE = "#0b4f8a"
WHITE = "#ffffff"
GOLD = "#f2b705"
# Shapes on a 100 × 100 canvas: the clock's centre, radius, ring width, hand ends and the gold tick.
CENTRE, RADIUS, RING = (50, 50), 30, 6
HANDS = ((50, 50, 50, 30), (50, 50, 64, 57))
HAND_WIDTH = 6


def svg() -> str:
    hands = "".join(f'<line x1="{a}" y1="{b}" x2="{c}" y2="{d}"/>' for a, b, c, d in HANDS)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            f'<rect width="100" height="100" rx="22" fill="{BLUE}"/>'
            f'<circle cx="{CENTRE[0]}" cy="{CENTRE[1]}" r="{RADIUS}" fill="none" stroke="{WHITE}" '
            f'stroke-width="{RING}"/>'
            f'<g stroke="{WHITE}" stroke-width="{HAND_WIDTH}" stroke-linecap="round">{hands}</g>'
            f'<circle cx="50" cy="50" r="4" fill="{GOLD}"/></svg>\n')


def png(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # draw large, then shrink: smooth edges without an anti-aliasing library
    canvas = size * scale
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:  # full bleed: the platform cuts its own shape, the clock stays in the safe zone
        draw.rectangle((0, 0, canvas, canvas), fill=BLUE)
        shrink, offset = 0.72, canvas * 0.14
    else:
        draw.rounded_rectangle((0, 0, canvas - 1, canvas - 1), radius=canvas * 0.22, fill=BLUE)
        shrink, offset = 1.0, 0.0
    unit = canvas / 100 * shrink

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x * unit, offset + y * unit

    cx, cy = at(*CENTRE)
    r = RADIUS * unit
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=round(RING * unit))
    for a, b, c, d in HANDS:
        draw.line((*at(a, b), *at(c, d)), fill=WHITE, width=round(HAND_WIDTH * unit))
        for x, y in ((a, b), (c, d)):  # round caps
            px, py = at(x, y)
            half = HAND_WIDTH * unit / 2
            draw.ellipse((px - half, py - half, px + half, py + half), fill=WHITE)
    dot = 4 * unit
    draw.ellipse((cx - dot, cy - dot, cx + dot, cy + dot), fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "icon.svg").write_text(svg(), encoding="utf-8")
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("maskable-512.png", 512, True), ("apple-touch-icon.png", 180, True),
                                 ("favicon-32.png", 32, False)):
        png(size, maskable=maskable).save(ICONS / name, optimize=True)
    print(f"icons written to {ICONS}")


if __name__ == "__main__":
    main()
