"""The one writer of tables people open in a spreadsheet: CSV and Excel (XLSX).

Every export of the project goes through ``csv_stream`` or ``write_xlsx``, which take the
headers (lazily translated: they are read in the reader's language) and rows of plain values:

* vocabulary members are written as their labels, lists as their items joined by ", ",
  booleans as yes / no, dates and times in the fair's zone;
* nothing a person typed runs as a formula. In XLSX every text is a string cell (never a
  formula, no apostrophe shown, even for "=HYPERLINK(...)" or "+32 ..."); in CSV a text that
  a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is prefixed
  with an apostrophe, which the spreadsheet then shows: phone numbers are therefore written so
  that they never start with "+" (``table_phone``: "0470 12 34 56", "0033 6 12 34 56 78");
* CSV starts with a UTF-8 BOM (Excel then reads accents right) and separates columns with
  ";" for French readers, as Belgian Excel expects (its list separator), "," for English ones;
* XLSX has its header row frozen and filters on every column, dates as real dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import phonenumbers
from flask import Response, stream_with_context
from flask_babel import get_locale, gettext

from jobday.formats import fair_zone, format_date, format_datetime
from jobday.vocabulary import Vocabulary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500
DATE_FORMAT, DATETIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text: str) -> str:
    """A CSV cell that a spreadsheet will show, never run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_phone(e164: str | None) -> str:
    """A phone number as a table shows it: Belgian ones in the national form, others with the
    international prefix 00 (a cell starting with "+" would be read as a formula)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "BE")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 32:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return "00" + international.removeprefix("+")


def csv_delimiter() -> str:
    return ";" if str(get_locale() or "fr").startswith("fr") else ","


def text(value) -> str:
    """A value as a person reads it (also the text of a CSV cell, before neutralising)."""
    if value is None:
        return ""
    if isinstance(value, Vocabulary):
        return value.label
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(text(item) for item in value)
    return str(value)


def csv_stream(headers: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter())
    buffer.write("\ufeff")
    writer.writerow([str(header) for header in headers])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if count % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_cell(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return neutralise(text(value))


def csv_text(headers: Sequence, rows: Iterable[Sequence]) -> str:
    return "".join(csv_stream(headers, rows))


def write_xlsx(target, headers: Sequence, rows: Iterable[Sequence], *, title: str) -> int:
    """Write the sheet to ``target`` (a path or a binary file); returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    names = [str(header) for header in headers]
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 4))
    bold = Font(bold=True)
    header_cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    zone = fair_zone()
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, zone, WriteOnlyCell) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(names)))}{count + 1}"
    workbook.save(target)
    return count


def xlsx_bytes(headers: Sequence, rows: Iterable[Sequence], *, title: str) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, headers, rows, title=title)
    return out.getvalue()


def _xlsx_cell(sheet, value, zone: ZoneInfo, cell_class):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        local = value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
        cell = cell_class(sheet, value=local)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = cell_class(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    cell = cell_class(sheet, value=text(value))
    cell.data_type = "s"  # a string, whatever it starts with: never a formula
    return cell


def csv_response(headers: Sequence, rows: Iterable[Sequence], filename: str) -> Response:
    """A CSV download, streamed as it is written."""
    response = Response(stream_with_context(csv_stream(headers, rows)), mimetype="text/csv")
    return _attachment(response, filename)


def xlsx_response(headers: Sequence, rows: Iterable[Sequence], filename: str, *, title: str) -> Response:
    """A small Excel download made in the request (large ones are background jobs)."""
    return _attachment(Response(xlsx_bytes(headers, rows, title=title), mimetype=XLSX_MIMETYPE), filename)


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _sheet_title(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return (cleaned or "Export")[:31]
