"""XML bombs and external entities in CIN census files, zip bombs and entities in XLSX files:
each is refused with a clear message, without expanding and without reading anything else.

"Nothing read" is watched, not assumed: a file an entity names is watched with Linux's inotify
for any open, and a URL it names is a server on loopback that counts the requests it gets.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from safeguarding.casedata import files
from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.children import cin_reader
from safeguarding.casedata.children.cin_reader import read_cin_census
from safeguarding.casedata.report import InputFileError
from tests.casedata.children.cin_files import FOOTER, HEADER, child
from tests.security import samples
from tests.security.bounds import assert_clear, bounded

SECRET = "TOP-SECRET-VALUE"


# -- watching a file and a URL ------------------------------------------------------------------


class FileWatch:
    """Whether anything opened or read a file since the watch began (Linux inotify)."""

    IN_ACCESS = 0x001
    IN_OPEN = 0x020

    def __init__(self, path: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            pytest.skip("inotify is not available here")
        watched = libc.inotify_add_watch(self.fd, str(path).encode(), self.IN_OPEN | self.IN_ACCESS)
        if watched < 0:
            os.close(self.fd)
            pytest.skip("inotify cannot watch the secret file here")

    def touched(self) -> bool:
        try:
            return bool(os.read(self.fd, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        os.close(self.fd)


@contextlib.contextmanager
def watched_secret(folder: Path) -> Iterator[tuple[Path, FileWatch]]:
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    watch = FileWatch(secret)
    try:
        yield secret, watch
        # The watch itself must see an open, or its silence above proves nothing.
        secret.read_text()
        assert watch.touched(), "the watch did not see the file opened"
    finally:
        watch.close()


@contextlib.contextmanager
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that answers every GET with the secret and notes its path."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = f'<!ENTITY leak "{SECRET}">{SECRET}'.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def test_the_watches_see_what_they_watch(tmp_path: Path) -> None:
    import urllib.request

    with watched_secret(tmp_path) as (_, watch):
        assert not watch.touched()
    with loopback_server() as (url, requests):
        with urllib.request.urlopen(f"{url}/x") as answer:
            assert SECRET in answer.read().decode()
    assert requests == ["/x"]


# -- CIN census: entity bombs and external entities ---------------------------------------------

BODY = HEADER.split("\n", 1)[1].format(year=2025, la="201")
LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
)


def _with_entity(value: str) -> str:
    """The valid children with the first child's id replaced by ``value``."""
    return child(1).replace("<LAchildID>C000001</LAchildID>", f"<LAchildID>{value}</LAchildID>")


def hostile_documents(secret: Path, url: str) -> dict[str, str]:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return {
        "billion laughs": f"{declaration}<!DOCTYPE Message [{LAUGHS}]>\n"
        + BODY
        + _with_entity("&lol9;")
        + FOOTER,
        "external file entity": f"{declaration}"
        f'<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + BODY
        + _with_entity("&xxe;")
        + FOOTER,
        "external http entity": f"{declaration}"
        f'<!DOCTYPE Message [<!ENTITY xxe SYSTEM "{url}/entity">]>\n'
        + BODY
        + _with_entity("&xxe;")
        + FOOTER,
        "parameter entity": f"{declaration}"
        f'<!DOCTYPE Message [<!ENTITY % remote SYSTEM "{url}/dtd"> %remote;]>\n'
        + BODY
        + _with_entity("&leak;")
        + FOOTER,
        "external DTD": f'{declaration}<!DOCTYPE Message SYSTEM "{url}/dtd">\n'
        + BODY
        + _with_entity("&leak;")
        + FOOTER,
        "declaration after a comment": "\ufeff<!-- exported -->\n"
        f'<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + BODY
        + _with_entity("&xxe;")
        + FOOTER,
    }


KINDS = (
    "billion laughs",
    "external file entity",
    "external http entity",
    "parameter entity",
    "external DTD",
    "declaration after a comment",
)


@pytest.mark.parametrize("kind", KINDS)
def test_a_cin_file_with_entities_is_refused_and_reads_nothing(tmp_path: Path, kind: str) -> None:
    with watched_secret(tmp_path) as (secret, watch), loopback_server() as (url, requests):
        path = tmp_path / "cin_201_2025.xml"
        path.write_text(hostile_documents(secret, url)[kind], "utf-8")
        outcome = bounded(lambda: read_cin_census(path), seconds=5, megabytes=64)
        assert not watch.touched(), "the reader opened the file an entity names"
    assert requests == [], "the reader fetched a URL an entity names"
    assert isinstance(outcome.error, InputFileError)
    message = str(outcome.error)
    assert_clear(message)
    assert "document type declaration" in message and "refused without being read" in message
    assert SECRET not in message


@pytest.mark.parametrize("kind", KINDS)
def test_the_cin_parser_itself_expands_and_fetches_nothing(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second line of defence: with the declaration check taken away, the parser's own
    settings still resolve no entity, load no DTD and use no network."""
    monkeypatch.setattr(cin_reader, "_check_prolog", lambda path: None)
    with watched_secret(tmp_path) as (secret, watch), loopback_server() as (url, requests):
        path = tmp_path / "cin_201_2025.xml"
        path.write_text(hostile_documents(secret, url)[kind], "utf-8")
        outcome = bounded(lambda: read_cin_census(path), seconds=5, megabytes=64)
        assert not watch.touched(), "the parser opened the file an entity names"
    assert requests == [], "the parser fetched a URL an entity names"
    if outcome.error is not None:
        assert isinstance(outcome.error, InputFileError)
        assert_clear(str(outcome.error))
        assert SECRET not in str(outcome.error)
    else:
        # The entity was left unexpanded: the child it stood in for has no id, so is left out.
        report = outcome.value.report
        assert outcome.value.tables["children"].num_rows == 0
        assert [p.column for p in report.problems] == ["LAchildID"]
        assert SECRET not in report.summary()


def test_an_xinclude_is_not_followed(tmp_path: Path) -> None:
    with watched_secret(tmp_path) as (secret, watch):
        include = (
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" '
            'parse="text"/>'
        )
        path = tmp_path / "cin_201_2025.xml"
        path.write_text(HEADER.format(year=2025, la="201") + _with_entity(include) + FOOTER)
        outcome = bounded(lambda: read_cin_census(path), seconds=5, megabytes=64)
        assert not watch.touched(), "the reader followed the XInclude"
    assert outcome.error is None
    assert SECRET not in outcome.value.report.summary()


# -- XLSX: zip bombs and entities ---------------------------------------------------------------

BOMB_PREFIX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
)
BOMB_SUFFIX = b"</t></is></c></row></sheetData></worksheet>"
CHUNK = 16 << 20


def _deflated(data: bytes, *, final: bool) -> bytes:
    """``data`` as raw deflate blocks; without ``final`` the stream can be continued."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def zip_bomb(path: Path, chunks: int) -> int:
    """A workbook whose sheet is one cell of ``chunks`` times 16 MB of the letter A.

    The deflate stream is one compressed chunk repeated (a full flush makes each repeat start
    afresh), so a gigabyte takes a megabyte on disk and a moment to make. Returns the sheet's
    size when expanded.
    """
    parts: list[tuple[str, bytes, int, int]] = []  # name, deflated, size, crc
    with zipfile.ZipFile(io.BytesIO(samples.adult_xlsx())) as sample:
        for name in sample.namelist():
            if name != "xl/worksheets/sheet1.xml":
                data = sample.read(name)
                parts.append((name, _deflated(data, final=True), len(data), zlib.crc32(data)))
    letters = b"A" * CHUNK
    crc = zlib.crc32(BOMB_PREFIX)
    for _ in range(chunks):
        crc = zlib.crc32(letters, crc)
    crc = zlib.crc32(BOMB_SUFFIX, crc)
    sheet = (
        _deflated(BOMB_PREFIX, final=False)
        + _deflated(letters, final=False) * chunks
        + _deflated(BOMB_SUFFIX, final=True)
    )
    size = len(BOMB_PREFIX) + CHUNK * chunks + len(BOMB_SUFFIX)
    parts.append(("xl/worksheets/sheet1.xml", sheet, size, crc))
    local, central = bytearray(), bytearray()
    for name, data, expanded, checksum in parts:
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0, checksum, len(data), expanded, len(encoded), 0)
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHH", *fields)
        central += struct.pack("<HHHII", 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIHH", *fields) + encoded
        local += data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(local), 0
    )
    path.write_bytes(bytes(local) + bytes(central) + end)
    return size


@pytest.fixture
def calamine_must_not_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the workbook reaches calamine, which would expand it in memory."""
    import python_calamine

    class Tripwire:
        @staticmethod
        def from_path(path: str) -> None:
            raise AssertionError(f"calamine was asked to open {path}")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Tripwire)


def test_the_zip_bomb_is_what_it_claims(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    size = zip_bomb(path, chunks=64)
    assert size > 1 << 30  # a gigabyte when expanded ...
    assert path.stat().st_size < 2 << 20  # ... from under 2 MB
    with zipfile.ZipFile(path) as book:
        assert book.getinfo("xl/worksheets/sheet1.xml").file_size == size
        with book.open("xl/worksheets/sheet1.xml") as sheet:
            assert sheet.read(len(BOMB_PREFIX) + 5) == BOMB_PREFIX + b"AAAAA"


def test_a_zip_bomb_saved_as_xlsx_is_refused_before_it_is_expanded(
    tmp_path: Path, calamine_must_not_open: None
) -> None:
    path = tmp_path / "cases.xlsx"
    zip_bomb(path, chunks=64)
    outcome = bounded(lambda: read_adult_cases(path), seconds=5, megabytes=64)
    assert isinstance(outcome.error, InputFileError)
    message = str(outcome.error)
    assert_clear(message)
    assert message.startswith("cases.xlsx has a part that expands to ")
    assert "zip bomb" in message and "Save the sheet as CSV" in message


def test_a_workbook_that_expands_past_the_limit_is_refused(
    tmp_path: Path, calamine_must_not_open: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stored without compression, so only the limit on the total can refuse it.
    monkeypatch.setattr(files, "XLSX_MAX_EXPANDED", 1 << 20)
    path = tmp_path / "cases.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as book:
        book.writestr("xl/worksheets/sheet1.xml", b" " * (2 << 20))
    with pytest.raises(
        InputFileError, match=r"would expand to 2 MB when opened, more than the 1 MB"
    ):
        read_adult_cases(path)


def test_a_workbook_of_too_many_parts_is_refused(
    tmp_path: Path, calamine_must_not_open: None
) -> None:
    path = tmp_path / "cases.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        for number in range(files.XLSX_MAX_PARTS + 1):
            book.writestr(f"xl/part{number}.xml", b"")
    with pytest.raises(InputFileError, match=r"holds 10,001 parts"):
        read_adult_cases(path)


def test_a_repetitive_but_real_workbook_passes_the_check(tmp_path: Path) -> None:
    """Rows all alike shrink about 30 times: well within the limit a bomb breaks."""
    from safeguarding.casedata.xlsx import write_xlsx

    path = tmp_path / "cases.xlsx"
    write_xlsx(path, [("Concerns", [list(samples.adult_rows()[0])] * 5000)])
    with zipfile.ZipFile(path) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > files.XLSX_RATIO_FROM
    assert sheet.file_size > 10 * sheet.compress_size
    files._check_xlsx_zip(path)  # raises nothing


def test_a_file_that_is_not_a_zip_is_refused_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"concern_id,person_id\nC1,P1\n")
    with pytest.raises(
        InputFileError, match=re.escape("cases.xlsx could not be read as an Excel workbook")
    ):
        read_adult_cases(path)


@pytest.mark.parametrize(
    ("declaration", "reference"),
    [
        (f"<!DOCTYPE worksheet [{LAUGHS}]>", "&lol9;"),
        ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"),
    ],
)
def test_entities_in_a_workbook_sheet_are_refused(
    tmp_path: Path, declaration: str, reference: str
) -> None:
    with watched_secret(tmp_path) as (secret, watch):
        source = zipfile.ZipFile(io.BytesIO(samples.adult_xlsx()))
        path = tmp_path / "cases.xlsx"
        with source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
            for name in source.namelist():
                data = source.read(name)
                if name == "xl/worksheets/sheet1.xml":
                    text = data.decode().replace(
                        "<worksheet", declaration.format(secret=secret) + "<worksheet", 1
                    )
                    data = text.replace(">C00001<", f">{reference}<", 1).encode()
                book.writestr(name, data)
        outcome = bounded(lambda: read_adult_cases(path), seconds=5, megabytes=64)
        assert not watch.touched(), "the workbook reader opened the file an entity names"
    assert isinstance(outcome.error, InputFileError)
    assert "could not be read as an Excel workbook" in str(outcome.error)
    assert SECRET not in str(outcome.error)
