"""Legacy .doc reports through LibreOffice, and the message when it is missing."""

import shutil
from pathlib import Path

import pytest

from expected import differences, load
from gikr_tui.errors import ReportError
from gikr_tui.pipeline import check_file
from gikr_tui.readers import doc as doc_reader
from gikr_tui.readers.doc import read_doc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "doc"
DOCX = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
EXPECTED = load(FIXTURES)
HAS_SOFFICE = doc_reader.soffice() is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")


@needs_soffice
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_exactly(name):
    assert differences(FIXTURES / name, EXPECTED[name], strict=True) == []


@needs_soffice
def test_auto_numbered_headings_survive_the_conversion():
    report = check_file(FIXTURES / "2021-autonumber-fullwidth.doc").report
    assert report.format == "doc"
    assert [s.text for s in report.sections][:2] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert [s.status for s in report.sections] == ["ok"] * 6


@needs_soffice
def test_nothing_is_written_beside_the_report(tmp_path):
    report = tmp_path / "report.doc"
    shutil.copy(FIXTURES / "2019-template-dashes.doc", report)
    before = report.read_bytes()
    result = check_file(report)
    assert result.status == "violations"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.doc"]
    assert report.read_bytes() == before


@pytest.mark.parametrize("how", ["which", "path"])
def test_missing_libreoffice_is_one_clear_error(monkeypatch, how):
    if how == "which":
        monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    else:
        monkeypatch.setenv("PATH", "/nonexistent")
    data = (FIXTURES / "2021-autonumber-fullwidth.doc").read_bytes()
    with pytest.raises(ReportError, match=r"^legacy \.doc needs LibreOffice \(soffice\), which is not installed$"):
        read_doc(data, FIXTURES / "2021-autonumber-fullwidth.doc")


def test_missing_libreoffice_through_the_pipeline(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = check_file(FIXTURES / "2019-template-dashes.doc")
    assert (result.status, str(result.error)) == ("error", "legacy .doc needs LibreOffice (soffice), which is not installed")


def test_a_docx_saved_as_doc_is_read_without_libreoffice(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    doc = read_doc((DOCX / "2021-national-merged.docx").read_bytes(), None)
    assert doc.format == "doc"
    assert any(getattr(b, "text", "") == "一、总体情况" for b in doc.blocks)


def test_bytes_that_are_no_word_file():
    with pytest.raises(ReportError, match="not a Word .doc file"):
        read_doc(b"plain text pretending to be a .doc", None)


@needs_soffice
def test_conversion_time_limit_ends_libreoffice(monkeypatch, fresh_libreoffice):
    from gikr_tui.errors import TimeLimit

    monkeypatch.setattr(doc_reader, "CONVERT_TIMEOUT", 0.05)
    with pytest.raises(TimeLimit, match="did not convert the .doc within"):
        read_doc((FIXTURES / "2019-template-dashes.doc").read_bytes(), None)


@needs_soffice
def test_a_damaged_doc_is_a_report_error():
    data = bytearray((FIXTURES / "2019-template-dashes.doc").read_bytes())
    data[512:] = b"\xff" * (len(data) - 512)  # the OLE2 header survives, the rest does not
    with pytest.raises(ReportError):
        read_doc(bytes(data), None)


@needs_soffice
def test_a_doc_renamed_docx_is_converted(tmp_path):
    renamed = tmp_path / "report.docx"
    shutil.copy(FIXTURES / "2019-template-dashes.doc", renamed)
    assert differences(renamed, EXPECTED["2019-template-dashes.doc"], strict=True) == []


def test_a_password_protected_docx_says_so():
    from gikr_tui.readers.docx import OLE2, read_docx

    fake = OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    with pytest.raises(ReportError, match="^DOCX is password-protected$"):
        read_docx(fake)
