"""QR codes of badge codes: made once per code, with a fixed mask, cached as small PNG files.

The code is 18 symbols of the QR alphanumeric set, so it always fits version 2 (25 × 25
modules) at error correction level H (30% of the symbol may be damaged). Choosing the mask
automatically costs 4–7 ms per code (eight candidates are scored); a fixed mask gives an
equally valid symbol in about 1 ms. The PNG holds one pixel per module and the badge
scales it up without smoothing, so it stays sharp at any print size.
"""

from __future__ import annotations

import io
from functools import cache
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


# A print run makes a thousand codes: ``fast_matrix`` encodes one in about a fifth of the
# time ``qrcode`` takes, for the one symbol shape our codes use (version 2, level H, mask 2,
# alphanumeric mode: 16 data codewords and 28 error correction codewords in one block). The
# function patterns and the mask come from a symbol ``qrcode`` made; tests check that both
# give the same matrix.
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
DATA_CODEWORDS, EC_CODEWORDS = 16, 28
_EXP, _LOG = [0] * 512, [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power], _LOG[_value] = _value, _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


def _generator_logs() -> list[int]:
    """log α of the generator polynomial's coefficients after the leading 1."""
    poly = [1]
    for i in range(EC_CODEWORDS):
        nxt = poly + [0]
        for j, coefficient in enumerate(poly):
            if coefficient:
                nxt[j + 1] ^= _EXP[_LOG[coefficient] + i]
        poly = nxt
    return [_LOG[c] for c in poly[1:]]


_GENERATOR = _generator_logs()


def _codewords(code: str) -> list[int]:
    values = [ALPHANUMERIC.index(symbol) for symbol in code]
    bits, count = 0b0010, 4  # alphanumeric mode
    bits, count = bits << 9 | len(values), count + 9
    for i in range(0, len(values) - 1, 2):
        bits, count = bits << 11 | values[i] * 45 + values[i + 1], count + 11
    if len(values) % 2:
        bits, count = bits << 6 | values[-1], count + 6
    capacity = DATA_CODEWORDS * 8
    if count > capacity:
        raise ValueError("too long for a version 2 symbol at level H")
    terminator = min(4, capacity - count)
    bits, count = bits << terminator, count + terminator
    bits, count = bits << (-count % 8), count + (-count % 8)
    data = list(bits.to_bytes(count // 8, "big"))
    data += [0xEC, 0x11] * ((DATA_CODEWORDS - len(data)) // 2 + 1)
    data = data[:DATA_CODEWORDS]
    remainder = data + [0] * EC_CODEWORDS
    for i in range(DATA_CODEWORDS):
        coefficient = remainder[i]
        if coefficient:
            log = _LOG[coefficient]
            for j, generator_log in enumerate(_GENERATOR, start=i + 1):
                remainder[j] ^= _EXP[log + generator_log]
    return data + remainder[DATA_CODEWORDS:]


def _data_positions() -> list[tuple[int, int]]:
    """Where the codewords' bits go, in order: two-column strips from the right, up then down,
    around the function patterns (finders with separators and format, timing, alignment)."""
    n = MODULES

    def function(r: int, c: int) -> bool:
        return ((r < 9 and (c < 9 or c >= n - 8)) or (r >= n - 8 and c < 9) or r == 6 or c == 6
                or (abs(r - 18) <= 2 and abs(c - 18) <= 2))

    positions, upward, right = [], True, n - 1
    while right > 0:
        if right == 6:
            right -= 1
        rows = range(n - 1, -1, -1) if upward else range(n)
        for r in rows:
            for c in (right, right - 1):
                if not function(r, c):
                    positions.append((r + BORDER, c + BORDER))
        upward, right = not upward, right - 2
    return positions[:(DATA_CODEWORDS + EC_CODEWORDS) * 8]  # the rest: remainder bits, zero


def _bits(code: str) -> list[int]:
    return [byte >> (7 - k) & 1 for byte in _codewords(code) for k in range(8)]


@cache
def _blank() -> tuple[tuple[bool, ...], ...]:
    """A symbol whose data bits are all zero: the function patterns, format and mask."""
    reference = "JOBDAY2027REFERENC"
    matrix = qr_matrix(reference)
    for (r, c), bit in zip(_data_positions(), _bits(reference), strict=True):
        matrix[r][c] ^= bool(bit)
    return tuple(tuple(row) for row in matrix)


_POSITIONS = _data_positions()


def fast_matrix(code: str) -> list[list[bool]]:
    """The same matrix as ``qr_matrix`` (border included), faster."""
    matrix = [list(row) for row in _blank()]
    for (r, c), bit in zip(_POSITIONS, _bits(code), strict=True):
        if bit:
            matrix[r][c] = not matrix[r][c]
    return matrix


def qr_png(code: str) -> bytes:
    matrix = fast_matrix(code)
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
