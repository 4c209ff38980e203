"""Wheel build step: compile the translation catalogs (.po → .mo) into the package, and bring in the
user guide with the screenshots it shows, so Help works offline from an installed wheel."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


#: An image in Markdown: ![alt](path), the path without spaces.
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def guide_files(docs: Path) -> list[Path]:
    """The user guide and every local image it shows; an image the guide names but lacks stops the build."""
    guide = docs / "user-guide.md"
    files = [guide]
    for link in IMAGE_LINK.findall(guide.read_text(encoding="utf-8")):
        if "://" in link:
            continue
        image = docs / link
        if not image.is_file():
            raise FileNotFoundError(f"the user guide shows {link}, which is not in {docs}")
        files.append(image)
    return files


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        out = Path(tempfile.mkdtemp(prefix="coachdesk-mo-"))
        for po in sorted(Path(self.root, "i18n").glob("*/LC_MESSAGES/coachdesk.po")):
            language = po.parent.parent.name
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            mo = out / language / "coachdesk.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as handle:
                write_mo(handle, catalog)
            build_data["force_include"][str(mo)] = f"coachdesk/i18n_catalogs/{language}/LC_MESSAGES/coachdesk.mo"
        docs = Path(self.root, "docs")
        for file in guide_files(docs):
            build_data["force_include"][str(file)] = f"coachdesk/docs/{file.relative_to(docs).as_posix()}"
