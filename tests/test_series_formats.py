"""Series across every format: DOCX and HTML made here, the bundled PDFs and .doc, text copies.

Each series mixes formats, names and folders the way real downloads do;
every cross-year finding that is there is found, and nothing else.
"""

from __future__ import annotations

import importlib.util
import random
import shutil
from pathlib import Path

import pytest

from gikr_tui import template as T
from gikr_tui.pipeline import check_file
from gikr_tui.readers import doc as doc_reader
from series_maker import chained, prose, t2_2021, write
from test_series import rules, run_series

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("fixture_generate", FIXTURES / "docx" / "generate.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


def spec_following(agency: str, year: int, template: int, carried_over: dict[str, int], stock=None, prose_by_section=None):
    """A generator Spec whose 二、上年结转 is `carried_over`, every identity of the year holding."""
    spec = gen.Spec(f"{agency}-{year}", agency, year, template)
    cells = spec.cells
    nums = {row: [gen.value_of(c) or 0 for c in cells[row]] for row in cells}
    for i, col in enumerate(T.PART_COLS):
        handled, forward = nums["results_total"][i], nums["carried_forward"][i]
        received = handled + forward - carried_over[col]
        if received < 0:
            forward, received = forward - received, 0
        nums["carried_over"][i], nums["received_new"][i], nums["carried_forward"][i] = carried_over[col], received, forward
    for row in ("carried_over", "received_new", "carried_forward"):
        nums[row][6] = sum(nums[row][:6])
        cells[row] = [str(v) for v in nums[row]]
    if stock is not None:
        (reg, norm) = stock
        blocks = list(gen.T2_2021)
        blocks[0] = (blocks[0][0], blocks[0][1], (("规章", tuple(map(str, reg))), ("行政规范性文件", tuple(map(str, norm)))))
        spec.t2_blocks = tuple(blocks)
    spec.prose = prose_by_section or {}
    return spec


def forward(path) -> dict[str, int]:
    return dict(check_file(path).record.carried_forward)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Four agencies, every format, year folders and flat, the 2019/2021 boundary, name variants.

    What each report was made to hold is in `expect`: path name -> its cross-year findings.
    """
    root = tmp_path_factory.mktemp("series")
    for folder in ("2020", "2021", "2022", "2023", "flat"):
        (root / folder).mkdir()
    rng = random.Random(13)
    expect: dict[str, list[tuple]] = {}

    # 西山区商务局: the 2020 PDF (2019 template) and a 2021 DOCX under its city's name, one column off
    pdf_2020 = shutil.copy(FIXTURES / "pdf" / "word-2019-vintage.pdf", root / "2020" / "商务局.pdf")
    carried = forward(pdf_2020)
    carried["commercial"] += 2
    gen.write_docx(spec_following("昆明市西山区商务局", 2021, 2021, carried), root / "2021" / "年报.docx")
    expect["年报.docx"] = [("carry_over", "commercial"), ("carry_over", "total")]

    # 江东县人民政府: a 2022 web page, the 2023 PDF, a 2024 text copy whose 总体情况 is the PDF's again
    pdf_2023 = check_file(FIXTURES / "pdf" / "word-2021-basic.pdf")
    spec_2022 = spec_following("江东县人民政府", 2022, 2021, {c: 0 for c in T.PART_COLS}, stock=((0, 0, 3), (3, 1, 38)))
    # its 结转下年度 is what the 2023 PDF carried over
    for i, col in enumerate(T.PART_COLS):
        spec_2022.cells["carried_forward"][i] = str(pdf_2023.record.carried_over[col])
        handled = gen.value_of(spec_2022.cells["results_total"][i]) or 0
        spec_2022.cells["received_new"][i] = str(handled + pdf_2023.record.carried_over[col])
    for row in ("carried_forward", "received_new"):
        spec_2022.cells[row][6] = str(sum(int(c) for c in spec_2022.cells[row][:6]))
    gen.write_site_page(spec_2022, root / "2022" / "index.html", '<meta charset="gbk">', layout_tables=False)
    shutil.copy(FIXTURES / "pdf" / "word-2021-basic.pdf", root / "2023" / "jiangdong.pdf")
    copied = "\n".join(p.text for s in pdf_2023.report.sections if s.number == 1 for p in s.body if not p.row)
    truth = chained(rng, 2021, forward(FIXTURES / "pdf" / "word-2021-basic.pdf"))
    write(root / "flat" / "江东 2024.txt", "江东县人民政府", 2024, truth, rng,
          prose_by_section={1: copied.replace("本年度", "2024年"), 5: prose(rng, 6)},
          t2=t2_2021((0, 0, 3), (1, 0, 42)))
    expect["江东 2024.txt"] = [("repeated_text", 1)]

    # 淮安市生态环境局: the 2021 DOCX fixture, a 2022 web page whose table 2 stock does not follow
    docx_2021 = FIXTURES / "docx" / "2021-national-merged.docx"
    shutil.copy(docx_2021, root / "flat" / "sthj-2021.docx")
    spec = spec_following("淮安市生态环境局", 2022, 2021, forward(docx_2021), stock=((0, 0, 2), (2, 0, 20)))  # 17 + 2 − 0 = 19
    gen.write_site_page(spec, root / "flat" / "sthj-2022.html", '<meta charset="gbk">', layout_tables=True)
    expect["sthj-2022.html"] = [("t2_stock", "normative_documents")]

    # 清江浦区人民政府办公室: the 2022 .doc fixture and a 2023 Markdown copy that follows on
    # (without LibreOffice, the DOCX the .doc was converted from)
    doc = ("doc", ".doc") if doc_reader.soffice() is not None else ("docx", ".docx")
    doc_2022 = shutil.copy(FIXTURES / doc[0] / f"2021-autonumber-fullwidth{doc[1]}", root / "flat" / f"qjp{doc[1]}")
    truth = chained(rng, 2021, forward(doc_2022))
    write(root / "flat" / "qjp-2023.md", "淮安市清江浦区人民政府办公室", 2023, truth, rng, layout="markdown",
          t2=t2_2021((0, 0, 2), (0, 0, 17)))
    return root, expect


def test_every_cross_year_finding_is_found_and_none_false(corpus):
    root, expect = corpus
    files = sorted(p for p in root.rglob("*") if p.is_file())
    lines, notes, series = run_series(files)
    assert rules(lines) == expect
    assert series == 4
    assert notes == []


def test_year_folders_or_flat_give_the_same_findings(corpus, tmp_path):
    root, expect = corpus
    for i, p in enumerate(sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".doc")):  # (a .doc is slow to read)
        shutil.copy(p, tmp_path / f"{i:02}-{p.name}")
    lines, _, _ = run_series(sorted(tmp_path.iterdir()))
    got = {name.split("-", 1)[1]: found for name, found in rules(lines).items()}
    assert got == expect
