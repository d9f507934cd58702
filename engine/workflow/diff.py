"""Compare two versions of BPMN/DMN sources element by element, for the publish screen."""
from __future__ import annotations

from typing import Mapping

from lxml import etree

# Diagram layout is not behaviour: moving a box must not show up as a change.
LAYOUT_NAMESPACES = frozenset({
    "http://www.omg.org/spec/BPMN/20100524/DI",
    "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
    "https://www.omg.org/spec/DMN/20191111/DMNDI/",
    "http://www.omg.org/spec/DMN/20180521/DMNDI/",
})


def _is_layout(node) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).namespace in LAYOUT_NAMESPACES


def _fingerprint(node) -> tuple:
    """The element's own content: tag, attributes, text and id-less children, recursively.

    Children with an id are elements of their own and are compared separately.
    """
    children = tuple(
        _fingerprint(child) for child in node
        if isinstance(child.tag, str) and child.get("id") is None and not _is_layout(child)
    )
    return (node.tag, tuple(sorted(node.attrib.items())), (node.text or "").strip(), children)


def _elements(sources: Mapping[str, bytes]) -> dict[tuple[str, str], dict]:
    # Keyed by file too: the three processes reuse ids such as `supervisor_approval`.
    found = {}
    for filename, raw in sorted(sources.items()):
        root = etree.fromstring(raw)
        for node in root.iter():
            if not isinstance(node.tag, str) or node.get("id") is None or _is_layout(node):
                continue
            found[(filename, node.get("id"))] = {
                "id": node.get("id"),
                "type": etree.QName(node).localname,
                "name": node.get("name") or node.get("label"),
                "file": filename,
                "_fingerprint": _fingerprint(node),
            }
    return found


def _public(element: dict) -> dict:
    return {k: v for k, v in element.items() if not k.startswith("_")}


def diff_versions(sources_a: Mapping[str, bytes], sources_b: Mapping[str, bytes]) -> dict[str, list[dict]]:
    """Elements (id, type, name, file) added, removed or changed from version a to b, by file and id."""
    before, after = _elements(sources_a), _elements(sources_b)
    return {
        "added": [_public(after[i]) for i in sorted(after.keys() - before.keys())],
        "removed": [_public(before[i]) for i in sorted(before.keys() - after.keys())],
        "changed": [
            _public(after[i]) for i in sorted(after.keys() & before.keys())
            if after[i]["_fingerprint"] != before[i]["_fingerprint"]
        ],
    }
