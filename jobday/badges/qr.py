"""QR codes of badge codes: made once per code, with a fixed mask, cached as small PNG files.

The code is 18 symbols of the QR alphanumeric set, so it always fits version 2 (25 × 25
modules) at error correction level H (30% of the symbol may be damaged). Choosing the mask
automatically costs 4–7 ms per code (eight candidates are scored); a fixed mask gives an
equally valid symbol in about 1 ms. The PNG holds one pixel per module and the badge
scales it up without smoothing, so it stays sharp at any print size.
"""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H

from jobday.badges.cachefiles import write_atomically
from jobday.badges.codes import is_well_formed

VERSION = 2
MODULES = 17 + 4 * VERSION
MASK_PATTERN = 2
BORDER = 2  # modules of quiet zone in the image; the badge's white padding adds the rest


def qr_matrix(code: str) -> list[list[bool]]:
    qr = qrcode.QRCode(version=VERSION, error_correction=ERROR_CORRECT_H, border=BORDER,
                       mask_pattern=MASK_PATTERN)
    qr.add_data(qrcode.util.QRData(code, mode=qrcode.util.MODE_ALPHA_NUM))
    qr.make(fit=False)
    return qr.get_matrix()


def qr_png(code: str) -> bytes:
    matrix = qr_matrix(code)
    size = len(matrix)
    image = Image.new("1", (size, size))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def cached_qr(code: str, folder: str | Path) -> Path:
    """The PNG of ``code`` in ``folder``, made on first use. Written atomically, so that
    processes rendering in parallel never read half a file."""
    if not is_well_formed(code):
        raise ValueError("not a badge code")
    folder = Path(folder)
    path = folder / f"{code}.png"
    if not path.exists():
        write_atomically(path, qr_png(code))
    return path
