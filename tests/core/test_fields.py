"""What each field accepts, as typed in a form or a CSV cell, and what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from studio_desk.core import fields as F
from studio_desk.core.errors import ValidationError


def parse(kind: F.Kind, key: str, raw: object) -> object:
    return F.parse_value(kind.field(key), raw)


# --------------------------------------------------------------------------- each type

def test_text_is_trimmed_and_empty_text_means_no_value() -> None:
    assert parse(F.PERSON, "title", "  Producer ") == "Producer"
    assert parse(F.PERSON, "title", "   ") is None
    assert parse(F.PERSON, "title", None) is None


def test_multiline_notes_keep_their_layout() -> None:
    notes = "  First line\n\tindented second line\n"
    assert parse(F.CLIENT, "notes", notes) == notes


def test_text_longer_than_its_field_is_refused_with_the_length() -> None:
    with pytest.raises(ValueError, match=r"Code is too long \(41 characters; at most 40\)"):
        parse(F.PROJECT, "code", "X" * 41)
    assert parse(F.PROJECT, "code", "X" * 40) == "X" * 40


@pytest.mark.parametrize(("raw", "expected"), [
    ("6", 6), (" 12 ", 12), ("3.0", 3), ("0", 0), (7, 7), (4.0, 4)])
def test_whole_numbers(raw: object, expected: int) -> None:
    value = parse(F.PERSON, "max_active_projects", raw)
    assert value == expected and type(value) is int


@pytest.mark.parametrize("raw", ["2.5", "six", "1e400", "--1"])
def test_whole_number_refuses_other_text_naming_the_field(raw: str) -> None:
    with pytest.raises(ValueError, match="Max active projects must be"):
        parse(F.PERSON, "max_active_projects", raw)


def test_a_yes_no_value_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="Max clients must be a number"):
        parse(F.PERSON, "max_clients", True)


@pytest.mark.parametrize(("raw", "expected"), [
    ("37.5", 37.5), ("40", 40.0), (" 12 500 ", 12500.0), (32, 32.0)])
def test_numbers(raw: object, expected: float) -> None:
    value = parse(F.PROJECT, "budget", raw)
    assert value == expected and type(value) is float


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", float("nan")])
def test_a_number_must_be_finite(raw: object) -> None:
    with pytest.raises(ValueError, match="Budget must be"):
        parse(F.PROJECT, "budget", raw)


def test_dates_are_written_year_month_day() -> None:
    assert parse(F.PROJECT, "start", "2026-03-31") == dt.date(2026, 3, 31)
    assert parse(F.PROJECT, "start", dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    with pytest.raises(ValueError, match="Start must be a date written like 2026-03-31"):
        parse(F.PROJECT, "start", "31/03/2026")
    with pytest.raises(ValueError, match="Start must be a date written like"):
        parse(F.PROJECT, "start", "2026-02-30")


@pytest.mark.parametrize("raw", ["back burner", "Backburner", "BACK-BURNER", "back_burner",
                                 " Back-Burner ", "back-burner"])
def test_back_burner_spellings(raw: str) -> None:
    assert parse(F.PROJECT, "status", raw) == "back-burner"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Active", "active"), ("ON HOLD", "on-hold"), ("on-hold", "on-hold"), ("Pitch", "pitch"),
    ("DONE", "done"), ("cancelled", "cancelled")])
def test_other_statuses_in_any_case(raw: str, expected: str) -> None:
    assert parse(F.PROJECT, "status", raw) == expected


def test_an_unknown_status_lists_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="Status must be one of pitch, active, back-burner"):
        parse(F.PROJECT, "status", "paused")


def test_lead_type_choices_ignore_case() -> None:
    assert parse(F.PROJECT, "lead_type", "Production-Led") == "production-led"
    with pytest.raises(ValueError, match="Lead type must be one of"):
        parse(F.PROJECT, "lead_type", "manager-led")


@pytest.mark.parametrize(("raw", "expected"), [
    ("yes", True), ("No", False), ("TRUE", True), ("0", False), ("active", True),
    ("inactive", False), (False, False)])
def test_yes_no(raw: object, expected: bool) -> None:
    assert parse(F.PERSON, "active", raw) is expected


def test_yes_no_refuses_anything_else() -> None:
    with pytest.raises(ValueError, match="Active must be yes or no"):
        parse(F.PERSON, "active", "maybe")


# --------------------------------------------------------------------------- ranges

@pytest.mark.parametrize(("kind", "key", "lowest", "highest"), [
    (F.PERSON, "max_active_projects", 0, 999),
    (F.PERSON, "max_backburner_projects", 0, 999),
    (F.PERSON, "max_clients", 0, 999),
    (F.PERSON, "client_facing", 0, 5),
    (F.PERSON, "head_down", 0, 5),
    (F.PROJECT, "technical_complexity", 1, 5),
    (F.PROJECT, "communication_load", 1, 5),
    (F.RELATIONSHIP, "strength", 1, 3),
])
def test_whole_number_ranges(kind: F.Kind, key: str, lowest: int, highest: int) -> None:
    label = kind.field(key).label
    assert parse(kind, key, str(lowest)) == lowest
    assert parse(kind, key, str(highest)) == highest
    with pytest.raises(ValueError, match=f"{label} must be at least {lowest}"):
        parse(kind, key, str(lowest - 1))
    with pytest.raises(ValueError, match=f"{label} must be at most {highest}"):
        parse(kind, key, str(highest + 1))


@pytest.mark.parametrize(("kind", "key"), [
    (F.PERSON, "weekly_hours"), (F.PROJECT, "budget"), (F.PROJECT, "estimated_hours")])
def test_amounts_cannot_be_negative(kind: F.Kind, key: str) -> None:
    assert parse(kind, key, "0") == 0.0
    with pytest.raises(ValueError, match="must be at least 0"):
        parse(kind, key, "-0.5")


def test_a_week_has_168_hours() -> None:
    assert parse(F.PERSON, "weekly_hours", "168") == 168.0
    with pytest.raises(ValueError, match="Weekly hours must be at most 168"):
        parse(F.PERSON, "weekly_hours", "169")


# --------------------------------------------------------------------------- records

def test_a_new_record_gets_every_default() -> None:
    person = F.validate(F.PERSON, {"name": "Ana Ruiz"})
    assert person == {"name": "Ana Ruiz", "email": None, "title": None, "weekly_hours": 40.0,
                      "max_active_projects": 6, "max_backburner_projects": 15,
                      "max_clients": 12, "client_facing": 3, "head_down": 3, "active": True}
    project = F.validate(F.PROJECT, {"client": "Acme", "name": "Site"})
    assert project["status"] == "active"
    assert project["technical_complexity"] == project["communication_load"] == 3
    assert project["lead_type"] is None and project["manager"] is None
    assert F.validate(F.RELATIONSHIP, {"person": "Ana", "client": "Acme"})["strength"] == 2


@pytest.mark.parametrize(("kind", "values", "missing"), [
    (F.PERSON, {"name": ""}, "name"),
    (F.CLIENT, {"name": "   "}, "name"),
    (F.CLIENT, {"industry": "Retail"}, "name"),
    (F.PROJECT, {"name": "Site"}, "client"),
    (F.PROJECT, {"client": "Acme"}, "name"),
    (F.RELATIONSHIP, {"client": "Acme"}, "person"),
])
def test_required_fields(kind: F.Kind, values: dict[str, object], missing: str) -> None:
    with pytest.raises(ValidationError) as caught:
        F.validate(kind, values)
    assert caught.value.field == missing
    assert caught.value.problems[missing] == f"{kind.field(missing).label} is required."


def test_every_problem_is_reported_at_once_beside_its_field() -> None:
    with pytest.raises(ValidationError) as caught:
        F.validate(F.PERSON, {"name": "", "client_facing": "9", "weekly_hours": "lots",
                              "favourite_colour": "teal"}, where="people.csv, row 4")
    problems = caught.value.problems
    assert set(problems) == {"name", "client_facing", "weekly_hours", "favourite_colour"}
    assert problems["favourite_colour"] == "Person has no field “favourite_colour”."
    assert str(caught.value).startswith("people.csv, row 4: ")


def test_due_may_equal_start_but_not_come_before_it() -> None:
    same_day = F.validate(F.PROJECT, {"client": "Acme", "name": "Site",
                                      "start": "2026-05-04", "due": "2026-05-04"})
    assert same_day["due"] == same_day["start"] == dt.date(2026, 5, 4)
    with pytest.raises(ValidationError) as caught:
        F.validate(F.PROJECT, {"client": "Acme", "name": "Site",
                               "start": "2026-05-04", "due": "2026-05-03"})
    assert caught.value.field == "due"
    assert str(caught.value) == "Due (2026-05-03) must not be before start (2026-05-04)."


def test_one_dated_end_alone_is_fine() -> None:
    assert F.validate(F.PROJECT, {"client": "A", "name": "S", "due": "2026-01-01"})["due"]


def test_an_edit_checks_only_the_fields_it_changes() -> None:
    assert F.validate(F.PROJECT, {"status": "Back Burner"}, complete=False) == {
        "status": "back-burner"}
    with pytest.raises(ValidationError) as caught:
        F.validate(F.PROJECT, {"communication_load": "0"}, complete=False)
    assert caught.value.field == "communication_load"


def test_values_show_as_people_write_them() -> None:
    assert F.format_value(F.PERSON.field("active"), False) == "no"
    assert F.format_value(F.PROJECT.field("start"), dt.date(2026, 3, 1)) == "2026-03-01"
    assert F.format_value(F.PERSON.field("weekly_hours"), 37.5) == "37.5"
    assert F.format_value(F.PERSON.field("weekly_hours"), 40.0) == "40"
    assert F.format_value(F.PROJECT.field("budget"), 1234.567) == "1234.57"
    assert F.format_value(F.PROJECT.field("manager"), None) == ""


def test_kinds_are_found_by_their_command_line_names() -> None:
    assert {k: v.key for k, v in F.KINDS_BY_PLURAL.items()} == {
        "people": "person", "clients": "client", "projects": "project",
        "relationships": "relationship"}


@pytest.mark.parametrize(("typed", "expected"), [("1,000", 1000.0), ("12,500,000", 12_500_000.0),
                                                 ("2,5", 2.5), ("1 200", 1200.0)])
def test_thousands_separators_and_decimal_commas_read_as_people_mean_them(typed, expected):
    assert F.parse_value(F.PROJECT.field("budget"), typed) == expected


def test_a_whole_number_with_a_thousands_separator_is_not_read_as_one():
    assert F.parse_value(F.PROJECT.field("estimated_hours"), "1,000") == 1000.0
    assert F.parse_value(F.PERSON.field("weekly_hours"), "37,5") == 37.5


# --------------------------------------------------------------------------- typed input

@pytest.mark.parametrize(("kind", "key", "typed", "sentence"), [
    (F.PERSON, "max_clients", "5000",
     "Max clients must be between 0 and 999; 5000 is too many."),
    (F.PERSON, "max_clients", "-1", "Max clients must be between 0 and 999; -1 is too low."),
    (F.PERSON, "weekly_hours", "-5", "Weekly hours must be between 0 and 168; -5 is too low."),
    (F.PERSON, "weekly_hours", "168.5",
     "Weekly hours must be between 0 and 168; 168.5 is too many."),
    (F.PROJECT, "technical_complexity", "6",
     "Complexity must be between 1 and 5; 6 is too high."),
    (F.PROJECT, "estimated_hours", "20,000,000",
     "Estimated hours must be between 0 and 10,000,000; 20,000,000 is too many."),
    (F.PERSON, "weekly_hours", "lots", "Weekly hours must be a number, not “lots”."),
    (F.PERSON, "max_clients", "2.5", "Max clients must be a whole number, not “2.5”."),
    (F.PERSON, "name", "N" * 10_000, "Name is 10,000 characters long; at most 200 fit."),
    (F.PROJECT, "code", "X" * 41, "Code is 41 characters long; at most 40 fit."),
    (F.PROJECT, "client", "C" * 201, "Client is 201 characters long; at most 200 fit."),
])
def test_typed_input_that_does_not_fit_is_refused_in_one_sentence(kind, key, typed,
                                                                 sentence):
    f = kind.field(key)
    assert F.input_problem(f, typed) == sentence
    with pytest.raises(ValueError):  # and the same input is refused when saved
        F.parse_value(f, typed)


@pytest.mark.parametrize(("kind", "key", "typed"), [
    (F.PERSON, "max_clients", "999"), (F.PERSON, "max_clients", "0"),
    (F.PERSON, "weekly_hours", "37,5"), (F.PERSON, "weekly_hours", " 168 "),
    (F.PROJECT, "budget", "12,500"), (F.PERSON, "name", "N" * 200),
    (F.PERSON, "name", "  " + "N" * 200 + "  "),  # trimmed as when saved
    (F.PROJECT, "budget", ""), (F.CLIENT, "notes", "x" * 100_000),
])
def test_typed_input_that_fits_has_no_problem(kind, key, typed):
    assert F.input_problem(kind.field(key), typed) is None


def test_a_number_that_always_has_a_value_may_not_be_emptied():
    f = F.PERSON.field("max_clients")
    assert F.input_problem(f, "  ") is None
    assert F.input_problem(f, "  ", empty_allowed=False) == (
        "Max clients needs a number between 0 and 999.")


def test_range_and_length_sentences_use_the_declared_limits():
    hours = F.PERSON.field("weekly_hours")
    assert F.range_problem(hours, 168) is None and F.range_problem(hours, 0) is None
    assert F.range_problem(hours, 200) == (
        f"Weekly hours must be between 0 and {hours.maximum:g}; 200 is too many.")
    code = F.PROJECT.field("code")
    assert F.length_problem(code, "X" * code.max_length) is None
    assert F.length_problem(code, "X" * 12_345) == (
        "Code is 12,345 characters long; at most 40 fit.")
