"""Image work for emotes and badges: renditions, and the demo artwork.

Pure Pillow, no Django: takes and returns PNG bytes.
"""

import io
import math

from PIL import Image, ImageDraw, ImageFont

EMOTE_SIZES = {"1x": 28, "2x": 56, "4x": 112}
BADGE_SIZES = {"1x": 18, "2x": 36, "4x": 72}
MAX_SOURCE_PIXELS = 4096 * 4096


class ImageRejected(ValueError):
    """The uploaded file is not an image we can use."""


def open_source(source: bytes) -> Image.Image:
    """Open an uploaded image, refusing anything unreadable or oversized."""
    try:
        with Image.open(io.BytesIO(source)) as probe:
            if probe.width * probe.height > MAX_SOURCE_PIXELS:
                raise ImageRejected("The image is too large (at most 4096 x 4096 pixels).")
            probe.verify()
        image = Image.open(io.BytesIO(source))
        image.load()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageRejected("The file is not a readable image.") from error
    return image


def renditions(source: bytes, sizes: dict[str, int]) -> dict[str, bytes]:
    """Square PNG renditions of ``source``, one per named size, transparency kept."""
    image = open_source(source)
    image = image.convert("RGBA")
    side = max(image.width, image.height)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    out = {}
    for name, pixels in sizes.items():
        buffer = io.BytesIO()
        square.resize((pixels, pixels), Image.Resampling.LANCZOS).save(buffer, "PNG", optimize=True)
        out[name] = buffer.getvalue()
    return out


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def draw_demo_emote(face: str, color: str, size: int = 112) -> bytes:
    """A round face emote for the demo data: ``face`` picks the expression."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    pad = size * 0.06
    draw.ellipse(
        (pad, pad, size - pad, size - pad), fill=color, outline="#1a1a1d", width=size // 28
    )
    dark = "#1a1a1d"
    eye_y, eye_dx, eye_r = size * 0.40, size * 0.17, size * 0.07
    cx = size / 2
    if face == "shades":
        draw.rounded_rectangle(
            (cx - eye_dx - eye_r * 2, eye_y - eye_r, cx + eye_dx + eye_r * 2, eye_y + eye_r * 1.2),
            radius=eye_r,
            fill=dark,
        )
    elif face == "hearts":
        for sign in (-1, 1):
            x = cx + sign * eye_dx
            r = eye_r * 0.9
            draw.ellipse((x - r * 1.8, eye_y - r, x, eye_y + r * 0.6), fill="#e0245e")
            draw.ellipse((x, eye_y - r, x + r * 1.8, eye_y + r * 0.6), fill="#e0245e")
            draw.polygon(
                [(x - r * 1.75, eye_y), (x + r * 1.75, eye_y), (x, eye_y + r * 2)], fill="#e0245e"
            )
    elif face == "skull":
        for sign in (-1, 1):
            x = cx + sign * eye_dx
            draw.ellipse(
                (x - eye_r * 1.5, eye_y - eye_r * 1.5, x + eye_r * 1.5, eye_y + eye_r * 1.5),
                fill=dark,
            )
    else:
        for sign in (-1, 1):
            x = cx + sign * eye_dx
            draw.ellipse((x - eye_r, eye_y - eye_r, x + eye_r, eye_y + eye_r), fill=dark)
    mouth_top, mouth_w = size * 0.60, size * 0.22
    if face in ("smile", "shades", "hearts"):
        draw.arc((cx - mouth_w, mouth_top - size * 0.12, cx + mouth_w, mouth_top + size * 0.14),
                 start=20, end=160, fill=dark, width=max(2, size // 20))  # fmt: skip
    elif face == "open":
        draw.ellipse(
            (
                cx - mouth_w * 0.6,
                mouth_top - size * 0.02,
                cx + mouth_w * 0.6,
                mouth_top + size * 0.2,
            ),
            fill=dark,
        )
    elif face == "sad":
        draw.arc((cx - mouth_w, mouth_top + size * 0.02, cx + mouth_w, mouth_top + size * 0.26),
                 start=200, end=340, fill=dark, width=max(2, size // 20))  # fmt: skip
        draw.ellipse(
            (
                cx + eye_dx - eye_r * 0.5,
                eye_y + eye_r * 1.2,
                cx + eye_dx + eye_r * 0.5,
                eye_y + eye_r * 3,
            ),
            fill="#4fc3f7",
        )
    elif face == "skull":
        for i in range(4):
            x = cx - mouth_w * 0.75 + i * mouth_w * 0.5
            draw.rectangle(
                (x - size * 0.04, mouth_top, x + size * 0.04, mouth_top + size * 0.12), fill=dark
            )
    else:
        draw.line(
            (cx - mouth_w, mouth_top + size * 0.06, cx + mouth_w, mouth_top + size * 0.06),
            fill=dark,
            width=max(2, size // 20),
        )
    return _png(image)


def draw_demo_badge(symbol: str, color: str, size: int = 72) -> bytes:
    """A rounded-square badge for the demo data with one short symbol on it."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=color)
    if symbol == "star":
        points = []
        for i in range(10):
            radius = size * (0.38 if i % 2 == 0 else 0.16)
            angle = -math.pi / 2 + i * math.pi / 5
            points.append(
                (size / 2 + radius * math.cos(angle), size / 2 + radius * math.sin(angle))
            )
        draw.polygon(points, fill="white")
        return _png(image)
    font = ImageFont.load_default(size=int(size * (0.62 if len(symbol) == 1 else 0.42)))
    draw.text((size / 2, size / 2), symbol, fill="white", font=font, anchor="mm")
    return _png(image)
