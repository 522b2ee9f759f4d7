"""Checks that numbers written for the browser (SVG geometry, styles, data attributes) ignore the language.

Vietnamese writes decimals with a comma (``206,5``); an SVG length or a CSS value written that way is
rejected by the browser and the chart silently disappears. The app tests render pages and charts in
Vietnamese and pass the markup here.
"""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

# SVG attributes that hold one length or number each.
SVG_LENGTHS = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "font-size",
               "stroke-width", "dx", "dy"}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_LENGTH = re.compile(rf"^{_NUMBER}(?:px|%|em)?$")
_POINT = re.compile(rf"^{_NUMBER},{_NUMBER}$")
_DECIMAL_COMMA = re.compile(r"\d,\d")


def _attribute_errors(tag: str, name: str, value: str) -> list[str]:
    where = f"<{tag} {name}={value!r}>"
    if name in SVG_LENGTHS:
        return [] if _LENGTH.match(value.strip()) else [f"{where}: not a number"]
    if name == "viewbox":
        parts = value.split()
        return [] if len(parts) == 4 and all(_LENGTH.match(p) for p in parts) else [f"{where}: not four numbers"]
    if name == "points":
        return [] if all(_POINT.match(p) for p in value.split()) else [f"{where}: not x,y pairs"]
    if name == "style" or name.startswith("data-"):
        return [f"{where}: decimal comma"] if _DECIMAL_COMMA.search(value) else []
    return []


def svg_number_errors(markup: str) -> list[str]:
    """Every ``<svg>`` in ``markup``, parsed as XML: its numeric attributes that a browser would reject."""
    errors = []
    svgs = re.findall(r"<svg\b.*?</svg>", markup, flags=re.DOTALL)
    if not svgs:
        return ["no <svg> element"]
    for svg in svgs:
        for element in ET.fromstring(svg).iter():  # noqa: S314 - our own server-rendered markup
            tag = element.tag.rpartition("}")[2]
            for name, value in element.attrib.items():
                errors += _attribute_errors(tag, name.lower(), value)
    return errors


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None:
                self.errors += _attribute_errors(tag, name, value)


def html_number_errors(html: str) -> list[str]:
    """Numeric attributes of a whole page (SVG geometry, ``style``, ``data-*``) that depend on the language."""
    parser = _Attributes()
    parser.feed(html)
    return parser.errors
