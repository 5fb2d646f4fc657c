"""What the scanner pages' browser tests share: logging in, a real badge as a fake camera's
video, and a USB scanner typing on a French AZERTY computer."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from jobday.extensions import db
from tests.factories import DEFAULT_PASSWORD

AZERTY_DIGITS = dict(zip("1234567890", "&é\"'(-è_çà", strict=True))
AZERTY_LETTERS = {"A": "q", "Q": "a", "Z": "w", "W": "z", "M": ","}
W, H = 960, 720


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def y4m_of_badge(app, code: str, path: Path) -> None:
    """The badge's real PDF rendered to grey pixels, centred in a frame, as a Y4M video (for
    chromium's ``--use-file-for-fake-video-capture``)."""
    import pypdfium2
    from PIL import Image

    from jobday.badges.files import badge_pdf
    from jobday.badges.models import Badge

    with app.app_context():
        badge = db.session.scalar(select(Badge).where(Badge.code == code))
        pdf = badge_pdf(badge, "a6")
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=H / page.get_height()).to_pil().convert("L")
    frame = Image.new("L", (W, H), 255)
    frame.paste(image, ((W - image.width) // 2, 0))
    chroma = bytes([128]) * ((W // 2) * (H // 2))
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def type_like_a_scanner_on_azerty(page, code: str) -> None:
    """The key events a US-layout scanner makes on an AZERTY host: the physical key (``code``)
    is right, the character (``key``) is the French one."""
    for ch in code + "\n":
        if ch == "\n":
            key, physical = "Enter", "Enter"
        elif ch.isdigit():
            key, physical = AZERTY_DIGITS[ch], f"Digit{ch}"
        else:
            key, physical = AZERTY_LETTERS.get(ch, ch.lower()), f"Key{ch}"
        page.evaluate("([code, key]) => document.dispatchEvent(new KeyboardEvent('keydown', "
                      "{code, key, bubbles: true, cancelable: true}))", [physical, key])
