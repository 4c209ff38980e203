"""Wheel build step: compile the translation catalogs (.po → .mo) into the package."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


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
