"""Render the application icon's PNG sizes from its SVG, for desktops and the app's window.

    .venv/bin/python packaging/make_icons.py           # writes the PNGs that differ
    .venv/bin/python packaging/make_icons.py --check   # exit 1 when a PNG is missing or stale

resources/icons/org.coachdesk.CoachDesk.svg is the drawing; resources/icons/small/ holds the
same drawing redrawn on a 16- and a 24-unit grid for those sizes. The PNGs under
resources/icons/hicolor are committed, so neither the wheel build nor the app needs an SVG renderer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coachdesk import APP_ID  # noqa: E402
from coachdesk.atomic import atomic_write  # noqa: E402
from coachdesk.ui.icon import ICON_SIZES  # noqa: E402

ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / f"{APP_ID}.svg"
#: Drawings on a grid of their own size, used instead of SOURCE where they exist: at 16 and
#: 24 px the 128-unit drawing's tail and edges fall between pixels and blur.
SMALL = ICONS / "small"
#: Largest difference of one colour channel tolerated by --check: another Qt version may
#: antialias an edge a shade differently without the picture having changed.
CHANNEL_TOLERANCE = 8


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def source_for(size: int) -> Path:
    small = SMALL / f"{APP_ID}-{size}.svg"
    return small if small.is_file() else SOURCE


def render(size: int, source: Path) -> QImage:
    """The SVG drawn into a transparent size × size image."""
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source} is not an SVG that Qt can draw.")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def differs(image: QImage, path: Path) -> bool:
    """Whether the PNG at path is missing, of another size, or visibly not this image."""
    if not path.is_file():
        return True
    kept = QImage(str(path))
    if kept.isNull() or kept.size() != image.size():
        return True
    ours = bytes(image.convertToFormat(QImage.Format.Format_ARGB32).constBits())
    theirs = bytes(kept.convertToFormat(QImage.Format.Format_ARGB32).constBits())
    return ours != theirs and any(abs(a - b) > CHANNEL_TOLERANCE for a, b in zip(ours, theirs))


def stale_sizes() -> list[int]:
    """The sizes whose committed PNG is missing or no longer the drawing."""
    return [size for size in ICON_SIZES if differs(render(size, source_for(size)), png_path(size))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a PNG is missing or differs from its SVG")
    args = parser.parse_args(argv)

    stale = stale_sizes()
    if args.check:
        for size in stale:
            print(f"{png_path(size).relative_to(ROOT)} is missing or differs from "
                  f"{source_for(size).name}; run packaging/make_icons.py", file=sys.stderr)
        return 1 if stale else 0
    for size in stale:
        path = png_path(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as handle:
            handle.write(png_bytes(render(size, source_for(size))))
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
