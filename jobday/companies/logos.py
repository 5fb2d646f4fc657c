"""Company logos: checked by content, size-capped, and re-encoded so that what we serve is
our own output.

PNG and JPEG are decoded with Pillow (pixel count checked before decoding, so a
decompression bomb is refused) and re-encoded at most 400 px wide or high. SVG is parsed
with defusedxml (no DTD, no entities) and rebuilt from an allowlist of elements and
attributes: no script, no foreignObject, no event handlers, no external references.
The view serves logos with ``Content-Security-Policy: sandbox`` as a second line.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from jobday import storage
from jobday.companies.errors import LogoRejected

MAX_SIDE = 400
MAX_DEPTH = 64  # nested SVG elements; drawing programs stay far below
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

SVG_ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "defs", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "title", "desc", "use",
    "symbol",
})
SVG_ATTRIBUTES = frozenset({
    "id", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d", "points",
    "viewBox", "preserveAspectRatio", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path", "clip-rule", "mask", "offset",
    "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "fx", "fy",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "dx", "dy", "version", "style", "href", "clipPathUnits", "maskUnits",
    "maskContentUnits", "display", "visibility",
})
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Logo:
    data: bytes
    content_type: str
    extension: str


def process_logo(data: bytes, *, max_bytes: int, max_pixels: int) -> Logo:
    if not data:
        raise LogoRejected(_l("The file is empty."))
    if len(data) > max_bytes:
        raise LogoRejected(_l("The logo is larger than %(size)s KB.", size=max_bytes // 1024))
    head = data[:512].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--"):
        return Logo(sanitise_svg(data), "image/svg+xml", "svg")
    return _raster(data, max_pixels)


def _raster(data: bytes, max_pixels: int) -> Logo:
    refused = LogoRejected(_l("Send a PNG, JPEG or SVG image."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise LogoRejected(_l("The image is too large (%(w)s × %(h)s pixels).",
                                          w=width, h=height))
                probe.verify()
            with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as image:
                source_format = image.format
                image.load()
                image = ImageOps.exif_transpose(image)
    except LogoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, in Image.open: a header claiming over 89 million pixels.
        raise LogoRejected(_l("The image is too large (too many pixels).")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refused from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if source_format == "PNG" or has_alpha:
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.save(out, format="PNG", optimize=True)
        return Logo(out.getvalue(), "image/png", "png")
    image.convert("RGB").save(out, format="JPEG", quality=85)
    return Logo(out.getvalue(), "image/jpeg", "jpg")


def sanitise_svg(data: bytes) -> bytes:
    refused = LogoRejected(_l("This SVG file could not be read."))
    try:
        root = parse_xml(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise refused from None
    if root.tag != f"{{{SVG_NS}}}svg" or _deeper_than(root, MAX_DEPTH):
        raise refused
    clean = _clean_element(root)
    clean.set("xmlns", SVG_NS)
    return ElementTree.tostring(clean, encoding="utf-8")


def _deeper_than(root, limit: int) -> bool:
    """Whether elements nest deeper than ``limit`` (checked without recursion: the cleaner and
    the serialiser recurse, and a few thousand nested groups exhausted Python's stack)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def _local(tag) -> str | None:
    if not isinstance(tag, str) or not tag.startswith(f"{{{SVG_NS}}}"):
        return None
    return tag[len(SVG_NS) + 2:]


def _clean_element(element) -> ElementTree.Element:
    name = _local(element.tag)
    clean = ElementTree.Element(name)  # rebuilt without namespace; the root gets xmlns
    for key, value in element.attrib.items():
        attribute = _clean_attribute(key, value)
        if attribute:
            clean.set(*attribute)
    if name in ("title", "desc", "text", "tspan"):
        clean.text = element.text
    for child in element:
        if _local(child.tag) in SVG_ELEMENTS:
            cleaned = _clean_element(child)
            cleaned.tail = child.tail if name in ("text", "tspan") else None
            clean.append(cleaned)
    return clean


def _clean_attribute(key: str, value: str) -> tuple[str, str] | None:
    if key == f"{{{XLINK_NS}}}href":
        key = "href"
    if key.startswith("{") or key not in SVG_ATTRIBUTES or key.lower().startswith("on"):
        return None
    if key == "href":
        return (key, value) if value.startswith("#") and re.fullmatch(r"#[\w.:-]+", value) else None
    lowered = value.lower()
    if "\\" in value or "javascript:" in lowered or "expression" in lowered or "@import" in lowered:
        return None
    if any(not target.startswith("#") for target in _URL.findall(value)):
        return None
    if "url" in lowered and not _URL.search(value):
        return None
    return key, value


# --- storage -------------------------------------------------------------------------

def store(logo: Logo) -> str:
    """Store under a random key (in the caller's transaction); returns the key."""
    return storage.put(logo.data, kind="logo", content_type=logo.content_type,
                       key=f"{secrets.token_urlsafe(18)}.{logo.extension}")
