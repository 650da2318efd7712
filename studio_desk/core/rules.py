"""The studio's rules that are not about one field: names, lead types."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The form of a name used to decide whether two names are the same.

    NFKC folds composed/decomposed accents and compatibility forms (``é`` typed either
    way), ``casefold`` ignores case (``Straße`` = ``STRASSE``), and runs of white space
    count as one space. So ``Acme  Ltd`` and ``ACME ltd`` are one client.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())


def derive_lead_type(technical_complexity: int, communication_load: int) -> str:
    """Which manager should lead a project, from its two 1-5 scores.

    A clear gap (two points or more) decides; a one-point gap decides only when the larger
    score is high (4 or 5), since a 3-vs-2 project needs no particular lead. Otherwise the
    project is balanced.
    """
    gap = technical_complexity - communication_load
    if gap >= 2 or (gap == 1 and technical_complexity >= 4):
        return "production-led"
    if gap <= -2 or (gap == -1 and communication_load >= 4):
        return "account-led"
    return "balanced"
