"""Logos: checked by content, re-encoded, SVG rebuilt from an allowlist, bombs refused."""

import io

import pytest
from PIL import Image

from jobday.companies.errors import LogoRejected
from jobday.companies.logos import process_logo, sanitise_svg

LIMITS = {"max_bytes": 1024 * 1024, "max_pixels": 16_000_000}


def png(size=(800, 300), mode="RGBA", fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()


def test_png_is_reencoded_and_resized_to_400_px():
    logo = process_logo(png((1200, 600)), **LIMITS)
    assert logo.content_type == "image/png" and logo.extension == "png"
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.size == (400, 200)


def test_jpeg_stays_jpeg_and_small_images_keep_their_size():
    logo = process_logo(png((300, 100), mode="RGB", fmt="JPEG"), **LIMITS)
    assert logo.content_type == "image/jpeg"
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.format == "JPEG" and image.size == (300, 100)


def test_a_huge_image_is_refused_before_it_is_decoded():
    bomb = png((5000, 5000), mode="L")  # 25 million pixels in a few kilobytes
    assert len(bomb) < 200_000
    with pytest.raises(LogoRejected) as error:
        process_logo(bomb, **LIMITS)
    assert error.value.code == "logo_rejected"


def test_a_file_over_the_size_cap_is_refused():
    with pytest.raises(LogoRejected):
        process_logo(b"\x89PNG" + b"0" * 2048, max_bytes=1024, max_pixels=16_000_000)


@pytest.mark.parametrize("data", [b"", b"GIF89a" + b"\x00" * 50, b"%PDF-1.4 not an image", png()[:60],
                                  b"<html><script>alert(1)</script></html>"])
def test_anything_but_png_jpeg_or_svg_is_refused(data):
    with pytest.raises(LogoRejected):
        process_logo(data, **LIMITS)


def test_a_gif_renamed_png_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(LogoRejected):
        process_logo(out.getvalue(), **LIMITS)


EVIL_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"
     onload="alert('svg')">
  <script>alert('script')</script>
  <script xlink:href="https://evil.example/x.js"/>
  <foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></body>
  </foreignObject>
  <a href="javascript:alert(2)"><rect width="5" height="5"/></a>
  <rect width="10" height="10" fill="url(#grad)" onclick="alert(3)" style="fill:url(https://evil.example/t)"/>
  <image href="https://evil.example/tracker.png" width="1" height="1"/>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <use href="#shape"/>
  <circle id="shape" cx="5" cy="5" r="4" fill="#0a6"/>
  <style>@import url(https://evil.example/a.css);</style>
  <text x="1" y="9">Vaxolis</text>
</svg>"""


def test_svg_keeps_drawing_and_loses_scripts_handlers_and_external_references():
    clean = sanitise_svg(EVIL_SVG).decode()
    lowered = clean.lower()
    for banned in ("script", "onload", "onclick", "onerror", "foreignobject", "javascript", "evil.example",
                   "<style", "<image", "<a "):
        assert banned not in lowered, banned
    assert 'fill="url(#grad)"' in clean
    assert 'href="#shape"' in clean
    assert "<circle" in clean and "Vaxolis" in clean
    assert process_logo(EVIL_SVG, **LIMITS).content_type == "image/svg+xml"


def test_svg_with_entities_is_refused():
    billion_laughs = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                      b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">'
                      b'<text>&b;</text></svg>')
    with pytest.raises(LogoRejected):
        process_logo(billion_laughs, **LIMITS)


def test_xml_that_is_not_svg_is_refused():
    with pytest.raises(LogoRejected):
        process_logo(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', **LIMITS)
    with pytest.raises(LogoRejected):
        process_logo(b"<svg>not closed", **LIMITS)
