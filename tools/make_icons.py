"""Make every icon file from the one drawing, resources/studio-desk.svg.

    python tools/make_icons.py

writes (replacing what is there; all of it is generated, do not edit by hand):

* ``resources/icons/hicolor/<N>x<N>/apps/studio-desk.png`` for the desktop's icon theme,
* ``resources/icons/studio-desk.ico`` (Windows) and ``resources/icons/studio-desk.icns``
  (macOS), both holding PNG images, written here without any imaging library,
* ``studio_desk/resources/icons/studio-desk-<N>.png``, the window icon, package data so a
  source checkout, an installed package and the frozen app all find it.

Qt renders the drawing (QSvgRenderer into a QImage), so nothing beyond PySide6 is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "studio-desk.svg"
ICON_NAME = "studio-desk"
#: The desktop icon theme's sizes, and the window icon's.
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
#: Windows asks an .ico for these (256 is the largest an .ico entry can say).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: macOS: the PNG-holding element types of an .icns and their sizes in pixels.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The drawing at ``size`` × ``size`` pixels, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico file whose images are PNGs (read by Windows since Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .icns file: big-endian length-prefixed elements, each a PNG."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def _write(path: Path, data: bytes, made: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    made.append(path)


def make_icons(root: Path = ROOT) -> list[Path]:
    """Render every size and write every icon file under ``root``; returns the files."""
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(root / "resources" / "studio-desk.svg"))
    if not renderer.isValid():
        raise RuntimeError(f"{root / 'resources' / 'studio-desk.svg'} is not a valid SVG")
    wanted = set(PNG_SIZES) | set(ICO_SIZES) | {size for _kind, size in ICNS_TYPES}
    pngs = {size: render_png(renderer, size) for size in sorted(wanted)}
    made: list[Path] = []
    theme = root / "resources" / "icons" / "hicolor"
    package = root / "studio_desk" / "resources" / "icons"
    for size in PNG_SIZES:
        _write(theme / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png", pngs[size], made)
        _write(package / f"{ICON_NAME}-{size}.png", pngs[size], made)
    _write(root / "resources" / "icons" / f"{ICON_NAME}.ico",
           ico_bytes({size: pngs[size] for size in ICO_SIZES}), made)
    _write(root / "resources" / "icons" / f"{ICON_NAME}.icns", icns_bytes(pngs), made)
    return made


def main() -> int:
    for path in make_icons():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
