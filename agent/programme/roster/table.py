"""A roster file as rows of cells: CSV (comma, semicolon or tab; UTF-8 with or without BOM,
or Windows-1252 as Excel writes it in France) or XLSX (first sheet), and its columns
recognised by name, in English or French.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from agent.core.errors import UserError
from agent.core.model import skill_key


def _norm(text: str) -> str:
    """Header comparison form: `Fuseau horaire` -> `fuseauhoraire`, `E-mail` -> `email`."""
    return re.sub(r"[\s_\-.'’]", "", skill_key(text))


_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "courriel", "e-mail", "mail", "adresse", "adresse email",
              "adresse e-mail", "email address"),
    "name": ("name", "nom", "nom complet", "full name", "prénom nom", "nom prénom"),
    "roles": ("role", "roles", "rôle", "rôles"),
    "teaches": ("teaches", "enseigne", "peut enseigner", "can teach"),
    "learns": ("learns", "apprend", "souhaite apprendre", "wants to learn"),
    "manager_email": ("manager_email", "manager", "responsable", "email du responsable"),
    "team": ("team", "équipe", "service"),
    "timezone": ("timezone", "time zone", "fuseau", "fuseau horaire", "tz"),
    "language": ("language", "langue", "lang"),
    "max_mentees": ("max_mentees", "max mentorés", "max mentees"),
    "external": ("external", "externe"),
    "country": ("country", "pays"),
    "region": ("region", "région", "subdivision", "département", "province", "state"),
    "aliases": ("aliases", "alias", "other emails", "autres adresses", "autres emails",
                "adresses secondaires"),
}
_COLUMNS = {_norm(alias): field for field, aliases in _ALIASES.items() for alias in aliases}

def map_columns(header: list[str]) -> dict[str, int]:
    """Field name (email, name, teaches...) -> the index of its column in `header`."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        field = _COLUMNS.get(_norm(title))
        if field is not None:
            columns.setdefault(field, index)  # a repeated column: the first one counts
    return columns


def read_table(path: Path) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """(header row number, header, [(row number, cells)]) of the first sheet or the CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read the roster: {exc.strerror or exc}") from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(f"{path}: old Excel (.xls) files are not read; save it as .xlsx or CSV")
    table = _xlsx_rows(path) if data.startswith(b"PK\x03\x04") else _csv_rows(path, data)
    numbered = [(n, cells) for n, cells in enumerate(table, start=1)]
    for i, (number, cells) in enumerate(numbered):
        if any(c.strip() for c in cells):
            return number, cells, numbered[i + 1:]
    raise UserError(f"{path}: the roster is empty (no header row)")


class Formula(str):
    """An XLSX cell holding a formula whose value the file does not hold (the tool that
    wrote it computes no formulas): read as empty, and reported with its `coordinate`."""

    coordinate: str

    def __new__(cls, coordinate: str) -> Formula:
        cell = super().__new__(cls, "")
        cell.coordinate = coordinate
        return cell


def _utf16(data: bytes) -> str | None:
    """The text of a UTF-16 file (Excel's "Unicode text", Windows' Notepad): by its byte order
    mark, or, without one, by the NUL bytes of its ASCII characters; None otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        head = data[:200]
        if len(head) < 4 or head.count(0) < len(head) // 3:
            return None
        encoding = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    text = _utf16(data)
    if text is None and b"\x00" in data:
        raise UserError(f"{path}: the roster holds NUL bytes but is not UTF-16 text; "
                        "save it as 'CSV UTF-8'")
    if text is None:
        text = _decode(path, data)
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The header decides: a cell there never holds a separator, unlike skill lists.
    delimiter = max(";,\t", key=first.count)
    # A StringIO, not splitlines(): a quoted cell may hold a line break.
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # what Excel in France saves as "CSV (séparateur: ;)"
        except UnicodeDecodeError:
            raise UserError(f"{path}: the roster is neither UTF-8, UTF-16 nor Windows-1252 "
                            "text; save it as 'CSV UTF-8'") from None


def _xlsx_rows(path: Path) -> list[list[str]]:
    import openpyxl  # only for spreadsheets: keeps CSV-only runs light
    from openpyxl.utils import get_column_letter

    try:
        # Values as last computed, and the formulas: a formula whose value the file does
        # not hold reads as empty in the first, and says so in the second.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a bad file
        raise UserError(f"{path}: cannot read the spreadsheet: {exc}") from None
    try:
        rows = []
        values = book.worksheets[0].iter_rows(values_only=True)
        written = formulas.worksheets[0].iter_rows(values_only=True)
        for number, (row, raw) in enumerate(zip(values, written, strict=False), start=1):
            rows.append([
                Formula(f"{get_column_letter(i + 1)}{number}")
                if v is None and isinstance(f, str) and f.startswith("=") else _cell_text(v)
                for i, (v, f) in enumerate(zip(row, (*raw, *[None] * len(row)), strict=False))])
        width = max((len(r) for r in rows), default=0)
        return [r + [""] * (width - len(r)) for r in rows]  # a sheet's rows are all as wide
    finally:
        book.close()
        formulas.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2.0 is how Excel stores the number 2
    return str(value)

