"""CSV exports read as tables: the header found by its content, rows by column name.

Export files put notes before the header (LinkedIn), change their columns over the
years, and come back from spreadsheets with blank lines and stray commas: so the
header is the first row a reader recognises, each row is read by column name, and
each row keeps the line it starts on, for problems.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from ..problems import Problem


def table_rows(
    text: str, path: str, is_header: Callable[[list[str]], bool]
) -> tuple[list[tuple[int, dict[str, str]]] | None, list[Problem]]:
    """Each data row by column name (stripped, case-folded) with its line; None: no header.

    Rows that are not valid CSV, or hold more values than there are columns, are
    problems; blank rows are skipped.
    """
    problems: list[Problem] = []
    rows = _rows(text.removeprefix("\ufeff"), path, problems)
    header = next((names for names in _names(rows) if is_header(names)), None)
    if header is None:
        return None, problems
    found: list[tuple[int, dict[str, str]]] = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave blank lines behind; they hold no one
        if any(cell.strip() for cell in cells[len(header) :]):
            # Mapping such a row by position would shift every value after the stray comma.
            message = (
                f"{len(cells)} values for {len(header)} columns "
                "(a value with a comma is probably not quoted); row skipped"
            )
            problems.append(Problem(path, line, message))
            continue
        found.append((line, _by_name(header, cells)))
    return found, problems


def one_line(value: str) -> str:
    """The value stripped, with every run of whitespace (newlines too) made one space."""
    return " ".join(value.split())


def _rows(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Each CSV row with the line it starts on; rows that are not valid CSV become problems."""
    # strict: a stray quote is reported where it is, instead of silently gluing
    # rows together into one contact with a very long name.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1  # line_num is where the last row ended
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(path, line, f"not a readable CSV row ({exc}); row skipped"))
            if reader.line_num < line:  # nothing consumed: stop rather than loop
                return
            continue
        yield line, cells


def _names(rows: Iterator[tuple[int, list[str]]]) -> Iterator[list[str]]:
    """Each row's cells stripped and case-folded, as a header would be read."""
    for _line, cells in rows:
        yield [cell.strip().casefold() for cell in cells]


def _by_name(header: list[str], cells: list[str]) -> dict[str, str]:
    """The row's cells by column name, in column order; missing trailing cells are empty."""
    row: dict[str, str] = {}
    for index, name in enumerate(header):
        row.setdefault(name, cells[index] if index < len(cells) else "")  # first of a repeat
    return row
