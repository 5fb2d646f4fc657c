"""QR codes of badge codes: small, fixed mask, cached once per code, decodable."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from jobday.badges import qr
from jobday.badges.codes import new_code


def _decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    image = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_a_code_fits_version_2_at_the_highest_error_correction():
    matrix = qr.qr_matrix(new_code())
    assert len(matrix) == qr.MODULES + 2 * qr.BORDER == 29


def test_the_fast_encoder_makes_the_same_symbol_as_qrcode():
    codes = [new_code() for _ in range(300)] + ["2" * 18, "Z" * 18, "23456789ABCDEFGHJK"]
    for code in codes:
        assert qr.fast_matrix(code) == qr.qr_matrix(code), code
    assert len(qr._POSITIONS) == (qr.DATA_CODEWORDS + qr.EC_CODEWORDS) * 8


def test_the_fast_encoder_refuses_what_does_not_fit_version_2():
    with pytest.raises(ValueError):
        qr.fast_matrix("A" * 21)


def test_the_png_decodes_to_exactly_the_code():
    for _ in range(20):
        code = new_code()
        assert _decode(qr.qr_png(code)) == [code]


def test_the_mask_is_fixed_so_the_image_is_the_same_every_time():
    code = new_code()
    assert qr.qr_png(code) == qr.qr_png(code)


def test_the_image_is_cached_once_per_code(tmp_path):
    code = new_code()
    path = qr.cached_qr(code, tmp_path / "qr")
    assert path == tmp_path / "qr" / f"{code}.png"
    first = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes())  # touch: a second call must not write again
    touched = path.stat().st_mtime_ns
    assert qr.cached_qr(code, tmp_path / "qr").stat().st_mtime_ns == touched >= first
    assert list((tmp_path / "qr").iterdir()) == [path]


@pytest.mark.parametrize("name", ["../etc/passwd", "ABC", "abc" * 6, ""])
def test_only_badge_codes_name_cache_files(tmp_path, name):
    with pytest.raises(ValueError):
        qr.cached_qr(name, tmp_path)
    assert list(tmp_path.iterdir()) == []
