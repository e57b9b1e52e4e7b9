"""Python-Markdown extension for 유어스 bodies: interview Q/A, table captions, header scopes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

CAPTION = re.compile(r"^\s*표\s*[:：]\s*(.+)$", re.S)


class _BodyTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, parent: etree.Element) -> None:
        children = list(parent)
        for index, child in enumerate(children):
            if child.tag == "p":
                text = (child.text or "").lstrip()
                if text.startswith("Q."):
                    child.set("class", (child.get("class", "") + " sb-q").strip())
                elif text.startswith("A."):
                    child.set("class", (child.get("class", "") + " sb-a").strip())
            elif child.tag == "table":
                self._table(parent, children, index, child)
            else:
                self._walk(child)

    def _table(self, parent: etree.Element, children: list, index: int, table: etree.Element) -> None:
        # KWCAG: every data table has a caption and th scope.
        previous = children[index - 1] if index > 0 else None
        if previous is not None and previous.tag == "p" and len(previous) == 0:
            match = CAPTION.match(previous.text or "")
            if match:
                caption = etree.Element("caption")
                caption.text = match.group(1).strip()
                table.insert(0, caption)
                parent.remove(previous)
        for section in table:
            for row in section:
                for cell in row:
                    if cell.tag == "th" and "scope" not in cell.attrib:
                        cell.set("scope", "col" if section.tag == "thead" else "row")


class BodyExtension(Extension):
    """Adds sb-q/sb-a classes, `표:` table captions and th scope attributes."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.treeprocessors.register(_BodyTreeprocessor(md), "site_builder_body", 5)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown API)
    return BodyExtension(**kwargs)
