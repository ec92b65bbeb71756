"""The one OLX policy of every block: scalar fields are attributes named after the field; a bad
value is refused with an error that names the block, the field and the value (never silently
replaced by the default); old attribute names are read through the block's ``olx_aliases``."""
from __future__ import annotations

from django.utils.translation import gettext as _
from lxml import etree
from xblock.fields import Boolean, DateTime, Float, Integer

from .fields import field_error

# No entities, no DTD, no network: OLX cannot reach files or hosts.
SAFE_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
)


class UnsafeXMLError(ValueError):
    """OLX with a document type declaration: never needed, and the door to entity attacks."""


class _RefuseDoctype:
    """A parser target that stops at a DOCTYPE, before any entity is declared or expanded. The
    parser sees the declaration whatever the document's encoding (UTF-16 included), which a search
    of the raw bytes does not."""

    def doctype(self, name, pubid, system):
        raise UnsafeXMLError("OLX must not declare a document type or entities")

    def start(self, tag, attrib):
        pass

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


def parse_olx(source: str | bytes):
    """Parse OLX the safe way wherever this project parses it itself (the demo's course loader,
    the tests). libxml2 expands internal entities in attributes even with ``resolve_entities``
    off, so a first pass refuses any DOCTYPE before the tree is built with the safe parser."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    etree.fromstring(data, parser=etree.XMLParser(
        target=_RefuseDoctype(), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False))
    return etree.fromstring(data, parser=SAFE_XML_PARSER)


class OLXError(ValueError):
    """A block's OLX has a value its field cannot take."""

    def __init__(self, block_type: str, location: str, name: str, raw: str, reason: str = ""):
        self.block_type, self.field_name, self.value = block_type, name, raw
        shown = raw if len(raw) <= 60 else raw[:60] + "…"
        # Studio shows it to the author importing the course, in their language.
        message = _("%(block)s %(location)s: %(field)s=%(value)s is not valid.") % {
            "block": block_type, "location": location, "field": name, "value": repr(shown)}
        super().__init__(f"{message} {reason}" if reason else message)


def _from_attribute(field, raw: str):
    text = raw.strip()
    if isinstance(field, Boolean):
        if text.lower() not in ("true", "false"):
            raise ValueError(raw)
        return text.lower() == "true"
    if isinstance(field, (Integer, Float, DateTime)):
        if not text:
            return None
        value = field.from_json(text)
        if isinstance(field, Integer):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(raw)
            value = int(value)
        return value
    return raw


def _attribute_of(field, value) -> str:
    if isinstance(field, Boolean):
        return "true" if value else "false"
    if isinstance(field, DateTime):
        return value.isoformat()
    if isinstance(field, Float):
        return repr(float(value))
    return str(value)


def read_attributes(block, node, names) -> None:
    """Set each of ``names`` that the node has (or has under an old name) on ``block``."""
    aliases = getattr(block, "olx_aliases", {}) or {}
    for name in names:
        raw, spelled = node.get(name), name
        if raw is None:
            for old in aliases.get(name, ()):
                if node.get(old) is not None:
                    raw, spelled = node.get(old), old
                    break
        if raw is None:
            continue
        field = block.fields[name]
        location = str(block.scope_ids.usage_id)
        try:
            value = _from_attribute(field, raw)
        except (TypeError, ValueError, OverflowError) as exc:
            raise OLXError(block.scope_ids.block_type, location, spelled, raw) from exc
        problem = field_error(field, value)
        if problem:
            raise OLXError(block.scope_ids.block_type, location, spelled, raw, problem)
        values = getattr(field, "values", None)
        if isinstance(values, (list, tuple)) and values and value not in [v.get("value", v) if isinstance(v, dict)
                                                                            else v for v in values]:
            raise OLXError(block.scope_ids.block_type, location, spelled, raw)
        setattr(block, name, value)


def write_attributes(block, node, names) -> None:
    """Write each of ``names`` that is set on ``block`` as an attribute of ``node``."""
    for name in names:
        field = block.fields[name]
        if not field.is_set_on(block):
            continue
        value = getattr(block, name)
        if value is not None:
            node.set(name, _attribute_of(field, value))


def inner_html(node) -> str:
    """The markup inside an element (its text and children), as authored."""
    if node is None:
        return ""
    return ((node.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in node)).strip()


def whole_number(block, field_name: str, raw) -> int:
    """A whole number of 0 or more from a child element (a rubric level's points, an award tier's
    count); anything else is refused the way ``read_attributes`` refuses a bad attribute."""
    text = (raw or "").strip()
    if not text.isdigit():
        raise OLXError(block.scope_ids.block_type, str(block.scope_ids.usage_id), field_name, raw or "")
    return int(text)


def read_rubric(block, node, field_name: str = "rubric") -> list | None:
    """``<rubric><criterion name><level name points/>…</criterion></rubric>`` as a rubric list, or None
    when the node has no rubric."""
    rubric = node.find("rubric")
    if rubric is None:
        return None
    return [{
        "name": criterion.get("name", ""),
        "levels": [{"name": level.get("name", ""), "points": whole_number(block, field_name, level.get("points"))}
                   for level in criterion.iterfind("level")],
    } for criterion in rubric.iterfind("criterion")]


def write_rubric(node, rubric: list) -> None:
    """The rubric as ``read_rubric`` reads it (nothing when empty)."""
    if not rubric:
        return
    element = etree.SubElement(node, "rubric")
    for criterion in rubric:
        crit = etree.SubElement(element, "criterion", name=str(criterion.get("name", "")))
        for level in criterion.get("levels", []):
            etree.SubElement(crit, "level", name=str(level.get("name", "")), points=str(level.get("points", 0)))
