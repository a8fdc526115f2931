"""Every error code a client can get is in ``ErrorCode`` and in both documents, which list
nothing else; the REST API's statuses are the documented ones."""

import re
from pathlib import Path

from chatsite.errors import ErrorCode

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _table(name: str) -> list[list[str]]:
    """The rows of the table after ``<!-- error codes -->`` in docs/<name>."""
    text = (DOCS / name).read_text()
    lines = text.split("<!-- error codes -->", 1)[1].strip().splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _codes(cell: str) -> list[str]:
    return re.findall(r"`([a-z_]+)`", cell)


def test_protocol_md_lists_exactly_the_error_codes():
    documented = [code for row in _table("protocol.md") for code in _codes(row[0])]
    assert sorted(documented) == sorted(code.value for code in ErrorCode)


def test_api_md_lists_exactly_the_error_codes_with_their_statuses():
    documented = {_codes(code)[0]: int(status) for code, status in _table("api.md")}
    assert documented == {code.value: code.status for code in ErrorCode}


def test_every_code_has_a_message_and_an_error_status():
    for code in ErrorCode:
        assert code.message.strip(), code
        assert 400 <= code.status < 600, code
