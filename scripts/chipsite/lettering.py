"""The characters a chart may draw: Latin letters, and the punctuation and signs every font the
charts are set in carries.

A chart's text is drawn with the reader's fonts (the site loads none from elsewhere, and stays
light): theme.FONT on the page, downloads.FONT in the downloaded pictures, whose PNG is drawn on the
build machine. Those fonts (San Francisco, Segoe UI, Roboto, Helvetica, Arial, Liberation Sans) all
carry Windows Glyph List 4; they do not all carry Chinese, Japanese or Korean characters, and a
reader without such a font sees empty boxes. So a chart draws names in Latin letters (an outlet's
English name), and the name in its own script is kept in the data (a source's `publisher_native`)
for the pages that list sources as text.
"""

from __future__ import annotations

import unicodedata

# Inclusive ranges of code points: Basic Latin, Latin-1 and Latin Extended-A (letters with accents,
# ×, °), and the punctuation and signs of Windows Glyph List 4 a chart has use for.
SHOWN = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2013, 0x2014),  # – —
    (0x2018, 0x201E),  # ‘ ’ ‚ “ ” „
    (0x2020, 0x2022),  # † ‡ •
    (0x2026, 0x2026),  # …
    (0x2030, 0x2030),  # ‰
    (0x2032, 0x2033),  # ′ ″
    (0x2039, 0x203A),  # ‹ ›
    (0x2044, 0x2044),  # ⁄
    (0x20AC, 0x20AC),  # €
    (0x2122, 0x2122),  # ™
    (0x2190, 0x2195),  # arrows
    (0x2212, 0x2212),  # −
    (0x2248, 0x2248),  # ≈
    (0x2260, 0x2260),  # ≠
    (0x2264, 0x2265),  # ≤ ≥
)
# Line breaks inside a label or a tooltip's text are not drawn as characters.
BREAKS = "\n"


def shown(char: str) -> bool:
    """Whether every font the charts are set in draws this character."""
    code = ord(char)
    return char in BREAKS or any(low <= code <= high for low, high in SHOWN)


def unshowable(text: str) -> list[str]:
    """The characters of `text` a reader's font may lack, once each, in order, each as
    "雷 (U+96F7 CJK UNIFIED IDEOGRAPH-96F7)"."""
    found = dict.fromkeys(c for c in str(text) if not shown(c))
    return [f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in found]
