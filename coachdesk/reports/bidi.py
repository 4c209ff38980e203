"""The Unicode bidirectional algorithm for reportlab's right-to-left layout.

reportlab lays out right-to-left paragraphs (word order, alignment, table cells) when a module
named ``rlbidi`` gives it ``log2vis``; that module is not on PyPI, so this one gives the same
function on top of python-bidi's implementation of UAX #9 and is installed under that name
before reportlab's text module loads (see ``coachdesk.reports.fonts``). Shaping of each word
(Arabic joining, Devanagari conjuncts) is uharfbuzz's, through reportlab.
"""

from __future__ import annotations

import sys
import types

from bidi import algorithm

_LEVELS = {"LTR": 0, "RTL": 1}


def log2vis(text: str, base_direction: str | None = "RTL", clean: bool = True,
            positions_V_to_L: list[int] | None = None, **_ignored: object) -> str:
    """``text`` in logical order → the same text in visual order (left to right on the page).

    ``positions_V_to_L``, when given, receives for each visual position the logical index of
    its character, as reportlab's word mapping needs.
    """
    direction = (base_direction or "").upper()
    storage = algorithm.get_empty_storage()
    level = _LEVELS.get(direction, algorithm.get_base_level(text))
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    return "".join(char["ch"] for char in chars)


def install() -> None:
    """Make ``log2vis`` reportlab's bidi engine; call before reportlab.pdfgen.textobject loads."""
    if "rlbidi" not in sys.modules:
        module = types.ModuleType("rlbidi")
        module.log2vis = log2vis  # type: ignore[attr-defined]
        sys.modules["rlbidi"] = module
