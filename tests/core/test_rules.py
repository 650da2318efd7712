"""The studio's rules across fields: when two names are the same, and a project's lead type."""

from __future__ import annotations

import unicodedata

import pytest

from studio_desk.core.rows import ProjectRow
from studio_desk.core.rules import derive_lead_type, name_key

# The documented rule, written out cell by cell so a change to it shows up here:
# a gap of two points or more decides; a one-point gap decides only when the larger score
# is 4 or 5; anything else is balanced.
# Rows: technical complexity 1..5. Columns: communication load 1..5.
# P = production-led, A = account-led, B = balanced.
LEAD_TYPE_TABLE = """
     1 2 3 4 5
  1  B B A A A
  2  B B B A A
  3  P B B A A
  4  P P P B A
  5  P P P P B
"""
LETTERS = {"P": "production-led", "A": "account-led", "B": "balanced"}


def _expected_lead_types() -> list[tuple[int, int, str]]:
    lines = [line.split() for line in LEAD_TYPE_TABLE.strip().splitlines()]
    loads = [int(x) for x in lines[0]]
    cases = []
    for line in lines[1:]:
        complexity = int(line[0])
        for load, letter in zip(loads, line[1:], strict=True):
            cases.append((complexity, load, LETTERS[letter]))
    return cases


def test_table_covers_every_pair_of_scores() -> None:
    pairs = {(c, load) for c, load, _ in _expected_lead_types()}
    assert pairs == {(c, load) for c in range(1, 6) for load in range(1, 6)}


@pytest.mark.parametrize(("complexity", "load", "expected"), _expected_lead_types())
def test_lead_type_follows_the_documented_rule(complexity: int, load: int,
                                               expected: str) -> None:
    assert derive_lead_type(complexity, load) == expected


def test_lead_type_is_symmetric_between_the_two_managers() -> None:
    swap = {"production-led": "account-led", "account-led": "production-led",
            "balanced": "balanced"}
    for complexity in range(1, 6):
        for load in range(1, 6):
            assert derive_lead_type(load, complexity) == swap[
                derive_lead_type(complexity, load)]


def test_a_projects_override_wins_over_the_derived_lead_type() -> None:
    derived = ProjectRow(id=1, version=1, client="Acme", name="Site",
                         technical_complexity=5, communication_load=1)
    overridden = ProjectRow(id=1, version=1, client="Acme", name="Site",
                            technical_complexity=5, communication_load=1,
                            lead_type="account-led")
    assert derived.effective_lead_type == "production-led"
    assert overridden.effective_lead_type == "account-led"


@pytest.mark.parametrize(("one", "other"), [
    (unicodedata.normalize("NFC", "Café Noir"), unicodedata.normalize("NFD", "Café Noir")),
    ("ACME ltd", "Acme  Ltd"),
    ("  Acme Ltd ", "acme ltd"),
    ("Acme\tLtd", "Acme Ltd"),
    ("Straße Studio", "STRASSE STUDIO"),
    ("Ｓｔｕｄｉｏ", "studio"),  # full-width letters typed with an East Asian keyboard
])
def test_names_that_a_person_reads_as_the_same_share_a_key(one: str, other: str) -> None:
    assert one != other
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("Acme Ltd", "Acme Ltd."),
    ("Cafe", "Café"),
    ("Ana Ruiz", "Ana  Ruíz"),
    ("שלום", "سلام"),
])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)
