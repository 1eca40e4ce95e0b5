"""Chart specs drawn as SVG and PNG on the server with vl-convert, so that the web page, the PDF
and the DOCX show the same picture without JavaScript.

Drawing takes tens of milliseconds, and the same chart is asked for again and again, so the
results are kept in a bounded in-process cache keyed by the SHA-256 of the spec's canonical
JSON. The web server runs threads: the cache takes a lock.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

import vl_convert
from lxml import etree

#: How many drawings of each kind (SVG, PNG) the cache keeps.
CACHE_SIZE = 512

_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Vega marks its groups up for assistive technology; inside role="img" these are ignored at
# best and contradictory at worst, and the page gives the chart a title, a text alternative
# and a table instead.
_INNER_ARIA = ("role", "aria-roledescription", "aria-label")
#: The attribute that keeps the figure a mark plots (its ``aria-label`` as Vega drew it), so
#: that the picture can be checked against its table.
MARK_VALUE = "data-value"
# Vega draws each layer's items inside a group of this class.
_MARK_GROUP = "role-mark"
_UNSAFE_ELEMENTS = ("script", "foreignObject", "iframe", "object", "embed")
_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")
_URL_REFERENCE = re.compile(r"url\(#([^)]+)\)")

Value = TypeVar("Value")


class _Cache(Generic[Value]):
    """A least-recently-used mapping with a lock, bounded to ``size`` entries."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


_svg_cache: _Cache[str] = _Cache(CACHE_SIZE)
_png_cache: _Cache[bytes] = _Cache(CACHE_SIZE)


def spec_key(spec: dict[str, Any]) -> str:
    """The SHA-256 of the spec's canonical JSON: equal specs give equal keys."""
    canonical = json.dumps(
        spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def spec_title(spec: dict[str, Any]) -> str:
    """The chart's title as one line of text ("" when the spec has none)."""
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(line) for line in title)
    return str(title)


def svg(spec: dict[str, Any]) -> str:
    """The chart as an ``<svg>`` element to put straight into an HTML page.

    No XML prolog; ``role="img"`` with a ``<title>`` holding the chart's title, so that the
    picture has an accessible name, and nothing inside it for assistive technology (each mark
    that plots a figure keeps it as ``data-value``); width, height and viewBox as drawn; no
    scripts, no event handler attributes; element ids made unique to this chart so that two
    charts on one page cannot borrow each other's clip paths.
    """
    key = spec_key(spec)
    found = _svg_cache.get(key)
    if found is None:
        drawn = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
        found = inline_svg(drawn, title=spec_title(spec), id_prefix=f"chart-{key[:10]}-")
        _svg_cache.put(key, found)
    return found


def png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """The chart as PNG image data, ``scale`` times its size in pixels (2 for print)."""
    key = (spec_key(spec), float(scale))
    found = _png_cache.get(key)
    if found is None:
        found = vl_convert.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])
        _png_cache.put(key, found)
    return found


def inline_svg(drawn: str, *, title: str, id_prefix: str) -> str:
    """Make a drawn SVG document safe and accessible to inline in an HTML page."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    root = etree.fromstring(_PROLOG.sub("", drawn).encode("utf-8"), parser)
    if etree.QName(root).localname != "svg":
        raise ValueError("vl-convert did not return an <svg> element")
    _remove_unsafe(root)
    _prefix_ids(root, id_prefix)
    _quiet_inner_aria(root)
    root.set("role", "img")
    for old in root.findall(f"{{{_SVG_NAMESPACE}}}title"):
        root.remove(old)
    heading = etree.Element(f"{{{_SVG_NAMESPACE}}}title")
    heading.text = title
    root.insert(0, heading)
    return etree.tostring(root, encoding="unicode")


def _quiet_inner_aria(root: etree._Element) -> None:
    """Remove Vega's markup for assistive technology below the root, keeping each mark's
    label as ``data-value``: the charts label only the marks that plot a figure, with it."""
    for element in root.iter(etree.Element):
        if element is root:
            continue
        label = element.attrib.get("aria-label")
        parent = element.getparent()
        if (
            label is not None
            and parent is not None
            and _MARK_GROUP in parent.get("class", "").split()
        ):
            element.set(MARK_VALUE, label)
        for name in _INNER_ARIA:
            element.attrib.pop(name, None)


def _remove_unsafe(root: etree._Element) -> None:
    """Drop active content: script-like elements, on* handlers, javascript: links."""
    for element in list(root.iter(etree.Element)):
        if etree.QName(element).localname in _UNSAFE_ELEMENTS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for name in list(element.attrib):
            local = etree.QName(name).localname.lower()
            value = element.attrib[name].strip().lower()
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                del element.attrib[name]


def _prefix_ids(root: etree._Element, prefix: str) -> None:
    ids = {element.get("id") for element in root.iter(etree.Element) if element.get("id")}
    if not ids:
        return

    def renamed(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"url(#{prefix}{name})" if name in ids else match.group(0)

    for element in root.iter(etree.Element):
        for name, value in list(element.attrib.items()):
            if name == "id" and value in ids:
                element.set(name, prefix + value)
            elif name in ("href", _XLINK_HREF) and value.startswith("#") and value[1:] in ids:
                element.set(name, f"#{prefix}{value[1:]}")
            elif "url(#" in value:
                element.set(name, _URL_REFERENCE.sub(renamed, value))


def warm_up() -> None:
    """Draw a tiny chart once: vl-convert's first drawing in a process takes ~0.4 s."""
    vl_convert.vegalite_to_svg(
        {
            "data": {"values": [{"value": 1}]},
            "mark": "point",
            "encoding": {"x": {"field": "value", "type": "quantitative"}},
        },
        allowed_base_urls=[],
    )


def clear_cache() -> None:
    """Forget every cached drawing (for tests and after a change of fonts)."""
    _svg_cache.clear()
    _png_cache.clear()
