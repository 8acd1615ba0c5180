"""Does a fact's excerpt carry its value? The mechanical half of reading a fact against its page.

A reader checks a number by finding it in the quoted passage. The passage may write it in any usual
way: "69.9 percent", "$122.54 billion", "1,307.4", "46-49%", "$1.4 trillion" for a value kept in
billions, or "twelve". A fact whose page gives the number only in a table, a chart or a sum says so
in `value_read_from`, and is not checked here.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .schema import Fact, Range

# Thousands with commas (1,307.4), a decimal comma as many European pages write it (9,2), or plain
# digits. A number may follow a letter of another script directly ("为900GB/S"), not a Latin one (H100).
_START = r"(?<![A-Za-z0-9.,])"
_NUMBER = re.compile(
    rf"{_START}\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)|{_START}\d+,\d{{1,2}}(?!\d)|{_START}\d+(?:\.\d+)?"
)
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "sixteen": 16, "twenty": 20, "thirty": 30, "hundred": 100,
    "double": 2, "doubled": 2, "twice": 2, "triple": 3, "tripled": 3, "half": 50, "dozen": 12,
}  # fmt: skip
# A value may be kept in a bigger or smaller unit than the page writes it ($1.4 trillion = 1,400 billion).
_SCALES = [10.0**k for k in range(-12, 13, 3)]


# All the number words in one pattern: one search per excerpt instead of one per word (at ten times
# today's size, searching word by word was half the time of checking the fact base).
_WORD = re.compile(rf"\b(?:{'|'.join(_WORDS)})\b", re.I)


def numbers_in(text: str) -> list[float]:
    return list(_numbers_in(text))


@lru_cache(maxsize=65536)  # `make serve` checks the fact base after each edit: most excerpts are as before
def _numbers_in(text: str) -> tuple[float, ...]:
    found = [float(_plain(m.group(0))) for m in _NUMBER.finditer(text)]
    words = {m.group(0).lower() for m in _WORD.finditer(text)}
    # In the order of _WORDS, each word once, however often it is written.
    found += [float(v) for w, v in _WORDS.items() if w in words]
    return tuple(found)


def _plain(written: str) -> str:
    """'1,307.4' -> '1307.4'; '9,2' (a decimal comma) -> '9.2'."""
    if re.fullmatch(r"\d+,\d{1,2}", written):
        return written.replace(",", ".")
    return written.replace(",", "")


def _same(value: float, written: float) -> bool:
    return any(math.isclose(value, written * scale, rel_tol=1e-9, abs_tol=1e-12) for scale in _SCALES)


def values_of(fact: Fact) -> list[float]:
    value = fact.value
    if isinstance(value, Range):
        return [value.low, value.high]
    if isinstance(value, float) and not isinstance(value, bool):
        return [value]
    return []


def missing_from_excerpt(fact: Fact) -> list[float]:
    """The fact's numbers that its excerpt does not carry (empty when it carries all, or says why not)."""
    if fact.value_read_from:
        return []
    written = numbers_in(fact.excerpt)
    return [v for v in values_of(fact) if not any(_same(v, w) for w in written)]
