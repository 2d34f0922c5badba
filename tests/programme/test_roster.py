"""Roster files: every format Excel produces, every bad row located by row and column."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.core.errors import Problem, UserError
from agent.core.model import Participant, skill_key
from agent.programme.roster import RosterResult, check_drop, load_roster

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "roster.example.csv"
HEADER = "email;name;role;teaches;learns;manager_email;team;timezone;language;max_mentees;external"


def load(path: Path) -> RosterResult:
    return load_roster(path, default_timezone="Europe/Paris", default_language="fr",
                       default_max_mentees=2)


def write(tmp_path: Path, *lines: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def only_problem(result: RosterResult) -> Problem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


# -- the shipped example --------------------------------------------------------
def test_shipped_example_loads_without_problems() -> None:
    result = load(EXAMPLE)
    assert result.problems == []
    assert result.broken_emails == frozenset()
    people = {p.email: p for p in result.participants}
    assert 12 <= len(people) <= 16
    assert {p.language for p in people.values()} == {"fr", "en"}
    assert [p.email for p in people.values() if p.external] == ["marc.dubois@conseil-dubois.fr"]
    assert "America/Montreal" in {p.timezone for p in people.values()}
    assert "Europe/London" in {p.timezone for p in people.values()}
    managers = {p.manager_email for p in people.values() if p.manager_email}
    assert managers <= set(people)  # every manager in the example is also a participant


# -- formats ----------------------------------------------------------------------
def test_semicolon_utf8_with_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER,
                 "Ann@Example.com;Ann Lee;mentor;Excel, SQL;;;Finance;;;;")
    [ann] = load(path).participants
    assert ann == Participant(
        email="ann@example.com", name="Ann Lee", roles=frozenset({"mentor"}),
        teaches=("Excel", "SQL"), team="Finance", timezone="Europe/Paris", language="fr",
        max_mentees=2, external=False,
    )


def test_comma_separated_with_quoted_skill_lists(tmp_path: Path) -> None:
    path = write(tmp_path, "email,name,role,learns",
                 'bob@example.com,Bob,mentee,"Excel; SQL,, excel ;Sql"')
    [bob] = load(path).participants
    assert bob.learns == ("Excel", "SQL")  # empties dropped, deduped by skill_key, first spelling


def test_byte_order_mark_does_not_hide_the_email_column(tmp_path: Path) -> None:
    path = write(tmp_path, "email;name;role", "léa@example.com;Léa;peer", encoding="utf-8-sig")
    [lea] = load(path).participants
    assert (lea.email, lea.name) == ("léa@example.com", "Léa")


def test_cp1252_file_with_accents_as_excel_saves_it(tmp_path: Path) -> None:
    path = write(tmp_path, "Courriel;Nom;Rôle;Peut enseigner;Équipe",
                 "lea.fontaine@example.fr;Léa Fontaine;mentor;Comptabilité, Négociation;Ventes",
                 encoding="cp1252")
    assert path.read_bytes().count(b"\xe9") == 3  # really cp1252, not UTF-8
    result = load(path)
    assert result.problems == []
    [lea] = result.participants
    assert lea.name == "Léa Fontaine"
    assert lea.teaches == ("Comptabilité", "Négociation")
    assert lea.team == "Ventes"


def test_french_headers_and_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Courriel;Nom complet;Rôle;Peut enseigner;Souhaite apprendre;Responsable;Équipe;"
        "Fuseau horaire;Langue;Max mentorés;Externe",
        "a@ex.fr;Anne;mentor binôme;Excel;SQL;b@ex.fr;Finance;America/Montreal;français;3;oui",
        "b@ex.fr;Bruno;mentoré;;Excel;;Direction;;anglais;;non",
        "c@ex.fr;Chloé;mentor;Excel;;;;Europe/Pariss;fr;;x",
    )
    result = load(path)
    anne, bruno = result.participants
    assert anne.roles == {"mentor", "peer"} and anne.max_mentees == 3
    assert (anne.timezone, anne.language, anne.external) == ("America/Montreal", "fr", True)
    assert anne.manager_email == "b@ex.fr" and anne.learns == ("SQL",)
    assert bruno.roles == {"mentee"} and bruno.language == "en" and not bruno.external
    assert bruno.max_mentees is None  # not a mentor: no capacity to default
    problem = only_problem(result)
    # The column is named as the admin's file names it.
    assert problem == Problem("roster.csv", "row 4, column Fuseau horaire",
                              "unknown time zone 'Europe/Pariss'", "Europe/Paris")


def test_xlsx_first_sheet_with_typed_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["E-mail", "Nom", "Rôle", "Enseigne", "Max mentorés", "Externe", "Notes"])
    sheet.append(["marc@conseil.fr", "Marc", "mentor", "Python; SQL", 3, True, "anything"])
    sheet.append([None] * 7)
    sheet.append(["zoe@ex.fr", "Zoé", "mentor", "Excel", "beaucoup", False, None])
    book.create_sheet("Ignored").append(["email"])
    path = tmp_path / "équipe.xlsx"
    book.save(path)
    result = load(path)
    [marc] = result.participants
    assert (marc.max_mentees, marc.external, marc.teaches) == (3, True, ("Python", "SQL"))
    problem = only_problem(result)
    assert (problem.where, problem.location) == ("équipe.xlsx", "row 4, column Max mentorés")
    assert "'beaucoup'" in problem.message
    assert result.broken_emails == {"zoe@ex.fr"}


def test_role_read_from_skills_when_the_cell_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "email;teaches;learns", "t@ex.fr;Excel;", "l@ex.fr;;SQL", "n@ex.fr;;")
    result = load(path)
    assert [p.roles for p in result.participants] == [{"mentor"}, {"mentee"}]
    assert only_problem(result).location == "row 4, column roles"


def test_time_zone_case_is_forgiven(tmp_path: Path) -> None:
    [p] = load(write(tmp_path, "email;role;timezone", "a@ex.fr;peer;europe/london")).participants
    assert p.timezone == "Europe/London"


# -- bad rows -------------------------------------------------------------------------
def test_unknown_time_zone_names_file_row_column_value(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER,
                 "a@ex.fr;A;mentor;Excel;;;;;;;",
                 "b@ex.fr;B;mentee;;Excel;;;Europe/Pariss;;;")
    result = load(path)
    assert [p.email for p in result.participants] == ["a@ex.fr"]
    assert only_problem(result) == Problem(
        "roster.csv", "row 3, column timezone", "unknown time zone 'Europe/Pariss'", "Europe/Paris")
    assert str(result.problems[0]) == ("roster.csv: row 3, column timezone: unknown time zone "
                                       "'Europe/Pariss' (e.g. Europe/Paris)")
    assert result.broken_emails == {"b@ex.fr"}


def test_every_problem_of_one_row_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER,
                 "c@ex.fr;C;mentor, guru;Excel;;c@ex.fr;;Mars/Olympus;klingon;-1;maybe")
    result = load(path)
    assert result.participants == []
    messages = {p.location: p.message for p in result.problems}
    assert messages == {
        "row 2, column role": "unknown role 'guru'",
        "row 2, column manager_email": "'c@ex.fr' is named as their own manager",
        "row 2, column timezone": "unknown time zone 'Mars/Olympus'",
        "row 2, column language": "unknown language 'klingon'",
        "row 2, column max_mentees": "max_mentees '-1' is not a whole number from 0 to 20",
        "row 2, column external": "'maybe' is not yes or no",
    }
    assert result.broken_emails == {"c@ex.fr"}


def test_invalid_and_missing_email(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, "not-an-email;X;mentor;Excel;;;;;;;", ";Y;mentee;;SQL;;;;;;")
    result = load(path)
    assert result.participants == [] and result.broken_emails == frozenset()
    assert [(p.location, p.message) for p in result.problems] == [
        ("row 2, column email", "invalid email 'not-an-email'"),
        ("row 3, column email", "missing email"),
    ]


def test_duplicate_email_rejects_the_later_row(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, "a@ex.fr;First;mentor;Excel;;;;;;;",
                 "b@ex.fr;Other;mentee;;Excel;;;;;;", "A@EX.FR;Second;mentee;;SQL;;;;;;")
    result = load(path)
    assert [p.name for p in result.participants] == ["First", "Other"]
    problem = only_problem(result)
    assert problem.location == "row 4, column email"
    assert problem.message == "duplicate email 'a@ex.fr' (already on row 2)"
    assert result.broken_emails == frozenset()  # that person is present, from row 2


def test_bad_manager_email(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, "a@ex.fr;A;mentee;;SQL;boss at ex;;;;;")
    problem = only_problem(load(path))
    assert (problem.location, problem.message) == (
        "row 2, column manager_email", "invalid manager email 'boss at ex'")


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "", HEADER, "a@ex.fr;A;peer;Excel;SQL;;;;;;", ";;;;;;;;;;", "",
                 "b@ex.fr;B;peer;SQL;Excel;;;;english;;", "c@ex.fr;C;peer;;;;;;;;", " ;  ")
    result = load(path)
    assert [p.email for p in result.participants] == ["a@ex.fr", "b@ex.fr", "c@ex.fr"]
    assert result.problems == []
    bad = write(tmp_path, HEADER, "", "", "d@ex.fr;D;boss;;;;;;;;", name="bad.csv")
    assert only_problem(load(bad)).location == "row 4, column role"


# -- whole-file failures ----------------------------------------------------------------
def test_missing_email_column_names_file_and_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;Rôle;Équipe", "Anne;mentor;Finance")
    with pytest.raises(UserError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message and "'Nom', 'Rôle', 'Équipe'" in message


def test_unreadable_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="absent.csv.*cannot read"):
        load(tmp_path / "absent.csv")
    with pytest.raises(UserError, match="empty"):
        load(write(tmp_path, "", "", name="empty.csv"))
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserError, match="broken.xlsx.*cannot read the spreadsheet"):
        load(tmp_path / "broken.xlsx")


# -- sudden drops -------------------------------------------------------------------------
def test_a_drop_of_half_the_people_is_refused() -> None:
    before = {"a@ex.fr", "b@ex.fr", "c@ex.fr", "d@ex.fr"}
    problem = check_drop(before, {"a@ex.fr", "b@ex.fr"}, 0.2, "roster.csv")
    assert problem is not None
    assert problem.where == "roster.csv"
    assert "2 of 4 people (50%)" in problem.message and "c@ex.fr, d@ex.fr" in problem.message
    assert "binome check --accept-roster" in problem.hint and "max_drop_share" in problem.hint


def test_small_drops_and_first_rosters_pass() -> None:
    before = {"a@ex.fr", "b@ex.fr", "c@ex.fr", "d@ex.fr"}
    assert check_drop(before, before - {"a@ex.fr"}, 0.25, "r.csv") is None
    assert check_drop(before, {"a@ex.fr", "b@ex.fr"}, 0.5, "r.csv") is None
    assert check_drop(set(), {"a@ex.fr"}, 0.2, "r.csv") is None


# -- properties -------------------------------------------------------------------------
ACCENTED = "éèêëàâäçîïôöùûüÉÈÊÀÇÎÔÛ"
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + ACCENTED


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@given(st.text(alphabet=LETTERS + " \t"))
def test_skill_key_is_idempotent_and_case_and_accent_insensitive(name: str) -> None:
    key = skill_key(name)
    assert skill_key(key) == key
    assert skill_key(name.upper()) == key == skill_key(name.lower())
    assert skill_key(strip_accents(name)) == key


words = st.text(alphabet=LETTERS + "'", min_size=1, max_size=8)
phrases = st.lists(words, min_size=1, max_size=3).map(" ".join)
skills = st.lists(phrases, max_size=3, unique_by=skill_key).map(tuple)
locals_ = st.text(alphabet="abcdefghij.", min_size=1, max_size=6).filter(
    lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s)
person = st.builds(
    Participant,
    email=locals_.map(lambda local: f"{local}@example.fr"),
    name=phrases,
    roles=st.frozensets(st.sampled_from(["mentor", "mentee", "peer"]), min_size=1),
    teaches=skills,
    learns=skills,
    team=st.sampled_from(["", "Finance", "Équipe Données"]),
    timezone=st.sampled_from(["Europe/Paris", "Europe/London", "America/Montreal"]),
    language=st.sampled_from(["fr", "en"]),
    max_mentees=st.none() | st.integers(0, 20),
    external=st.booleans(),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(person, max_size=8, unique_by=lambda p: p.email),
       st.sampled_from([";", ","]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_valid_rows_round_trip(
    tmp_path: Path, people: list[Participant], delimiter: str, encoding: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER.split(";"))
    for p in people:
        writer.writerow([p.email.upper(), p.name, " ".join(sorted(p.roles)), "; ".join(p.teaches),
                         ", ".join(p.learns), "", p.team, p.timezone, p.language,
                         "" if p.max_mentees is None else p.max_mentees,
                         "oui" if p.external else "non"])
    path = tmp_path / "generated.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    result = load(path)
    assert result.problems == []
    # An empty capacity is the programme's default, for mentors only.
    assert result.participants == [
        replace(p, max_mentees=2) if p.max_mentees is None and "mentor" in p.roles else p
        for p in people
    ]


# -- aliases ------------------------------------------------------------------------
def test_aliases_column_in_english_or_french_with_either_separator(tmp_path: Path) -> None:
    for title in ("aliases", "Alias", "Autres adresses"):
        path = write(tmp_path, HEADER + f";{title}",
                     "ann@example.com;Ann Lee;mentor;Excel;;;;;;;;"
                     "Ann.Lee@Gmail.com, ann@old.example.com; ann@example.com",
                     "bob@example.com;Bob Ray;mentee;;Excel;;;;;;;")
        result = load(path)
        assert result.problems == []
        people = {p.email: p for p in result.participants}
        # Lower-cased, in order, without the person's own address.
        assert people["ann@example.com"].aliases == ("ann.lee@gmail.com", "ann@old.example.com")
        assert people["bob@example.com"].aliases == ()


def test_a_bad_alias_is_reported_by_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ";alias",
                 "ann@example.com;Ann Lee;mentor;Excel;;;;;;;;ann at gmail",
                 "bob@example.com;Bob Ray;mentee;;Excel;;;;;;;")
    result = load(path)
    problem = only_problem(result)
    assert problem.location == "row 2, column alias"
    assert "invalid alias 'ann'" in problem.message
    assert [p.email for p in result.participants] == ["bob@example.com"]
    assert result.broken_emails == {"ann@example.com"}


def test_an_alias_that_is_someone_elses_address_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ";aliases",
                 "ann@example.com;Ann Lee;mentor;Excel;;;;;;;;bob@example.com",
                 "bob@example.com;Bob Ray;mentee;;Excel;;;;;;;",
                 "cid@example.com;Cid Roe;mentee;;Excel;;;;;;;shared@example.com",
                 "dee@example.com;Dee Fox;mentee;;Excel;;;;;;;shared@example.com")
    result = load(path)
    assert [p.email for p in result.participants] == ["bob@example.com"]
    by_row = {p.location: p.message for p in result.problems}
    assert by_row == {
        "row 2, column aliases":
            "alias 'bob@example.com' is also an address of bob@example.com (row 3)",
        "row 4, column aliases":
            "alias 'shared@example.com' is also an address of dee@example.com (row 5)",
        "row 5, column aliases":
            "alias 'shared@example.com' is also an address of cid@example.com (row 4)",
    }
    assert result.broken_emails == {"ann@example.com", "cid@example.com", "dee@example.com"}
