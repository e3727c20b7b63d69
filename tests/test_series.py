"""The checks across years, the pairing of reports into series, and the compact record."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from gikr_tui import template as T
from gikr_tui.pipeline import check_file
from gikr_tui.series import agency as names
from gikr_tui.series.collect import Collector
from gikr_tui.series.record import normalise
from gikr_tui.series.similarity import char_diff, paragraph_diff, similarity
from series_maker import chained, forward_of, prose, t2_2021, write

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AGENCY = "淮安市洪泽区人民政府"


def run_series(paths, read=check_file):
    """(series lines, notes, series count) for these files, as `gikr check` pairs them."""
    with Collector() as collector:
        for i, p in enumerate(sorted(map(str, paths))):
            collector.add(i, read(p))
        lines = collector.finish()
        return lines, collector.notes, collector.series


def rules(lines) -> dict[str, list[tuple]]:
    """path name -> [(rule, place)] of its cross-year findings."""
    out: dict[str, list[tuple]] = {}
    for line in lines:
        out[Path(line.path).name] = [(f.rule, f.col or f.row or f.section) for f in line.violations]
    return out


def chain(tmp: Path, years, *, seed=1, template=lambda y: 2019 if y <= 2020 else 2021, agency=AGENCY, break_at=None,
          stock=None, layout="tab", names_by_year=None):
    """Reports of consecutive `years` that follow on from each other, or not where `break_at` says."""
    rng = random.Random(seed)
    paths, forward = [], None
    for year in years:
        carried = forward
        if break_at and year in break_at and forward is not None:
            carried = dict(forward, **break_at[year])
        truth = chained(rng, template(year), carried)
        t2 = t2_2021(*stock[year]) if stock and year in stock else None
        name = (names_by_year or {}).get(year, agency)
        paths.append(write(tmp / f"{year}.txt", name, year, truth, rng, t2=t2, layout=layout))
        forward = forward_of(truth)
    return paths


# --- carry_over ----------------------------------------------------------------------------


def test_a_series_that_follows_on_has_no_cross_year_finding(tmp_path):
    lines, notes, series = run_series(chain(tmp_path, [2021, 2022, 2023]))
    assert lines == [] and notes == [] and series == 1


def test_carry_over_names_each_column_and_the_earlier_report(tmp_path):
    paths = chain(tmp_path, [2021, 2022, 2023], break_at={2023: {"natural": 77}})
    lines, _notes, _ = run_series(paths)
    assert rules(lines) == {"2023.txt": [("carry_over", "natural"), ("carry_over", "total")]}
    natural = lines[0].violations[0]
    assert natural.severity == "error" and natural.reported == 77 and natural.table == 3
    assert natural.previous == str(paths[1]) and lines[0].previous == str(paths[1])
    assert natural.cells == (("carried_over", "natural"),)
    # computed is what the 2022 report carried forward
    truth_2022 = check_file(paths[1]).record.carried_forward["natural"]
    assert natural.computed == truth_2022 and natural.difference == 77 - truth_2022
    assert "上年结转" in natural.message() and "77" in natural.message()
    assert lines[0].to_json()["record"] == "series" and lines[0].to_json()["year"] == 2023


def test_carry_over_holds_across_the_2019_2021_template_boundary(tmp_path):
    paths = chain(tmp_path, [2019, 2020, 2021], break_at={2021: {"legal": 5}})
    assert [check_file(p).report.template for p in paths] == [2019, 2019, 2021]
    lines, _, _ = run_series(paths)
    assert rules(lines) == {"2021.txt": [("carry_over", "legal"), ("carry_over", "total")]}


def test_carry_over_a_blank_total_counts_as_its_parts(tmp_path):
    rng = random.Random(3)
    first = chained(rng, 2021)
    first.written[("carried_forward", "total")] = ""  # left blank: its parts still say what was carried
    p1 = write(tmp_path / "a.txt", AGENCY, 2021, first, rng)
    p2 = write(tmp_path / "b.txt", AGENCY, 2022, chained(rng, 2021, forward_of(first)), rng)
    lines, _, _ = run_series([p1, p2])
    assert lines == []


# --- t2_stock -------------------------------------------------------------------------------


def test_t2_stock_follows_the_stock_of_regulations_and_normative_documents(tmp_path):
    stock = {
        2021: ((0, 0, 3), (2, 1, 15)),
        2022: ((1, 0, 4), (3, 2, 16)),  # 3 + 1 - 0 = 4; 15 + 3 - 2 = 16
        2023: ((0, 1, 3), (4, 0, 21)),  # 4 + 0 - 1 = 3; 16 + 4 - 0 = 20, not 21
    }
    lines, _, _ = run_series(chain(tmp_path, [2021, 2022, 2023], stock=stock))
    assert rules(lines) == {"2023.txt": [("t2_stock", "normative_documents")]}
    f = lines[0].violations[0]
    assert (f.severity, f.table, f.field, f.reported, f.computed) == ("warning", 2, "in_force", 21, 20)
    assert f.cells == (("normative_documents", "in_force"), ("normative_documents", "issued"), ("normative_documents", "repealed"))


def test_t2_stock_needs_the_2021_columns_in_both_years(tmp_path):
    # 2020 is on the 2019 template: 对外公开总数量 is no stock to follow
    stock = {2021: ((5, 0, 99), (9, 0, 99))}
    lines, _, _ = run_series(chain(tmp_path, [2020, 2021], stock=stock))
    assert lines == []


# --- repeated_text ----------------------------------------------------------------------------


def _two_years(tmp_path, first: dict[int, str], second: dict[int, str]):
    rng = random.Random(11)
    one = chained(rng, 2021)
    p1 = write(tmp_path / "one.txt", AGENCY, 2022, one, rng, prose_by_section=first)
    p2 = write(tmp_path / "two.txt", AGENCY, 2023, chained(rng, 2021, forward_of(one)), rng, prose_by_section=second)
    return run_series([p1, p2])


def test_repeated_text_copied_with_the_year_and_numbers_changed(tmp_path):
    rng = random.Random(2)
    body = prose(rng)
    last = "2022年，本机关共收到申请35件。" + body
    this = "2023年，本机关共收到申请41件。" + body.replace("两次", "三次")
    own = prose(rng, 6)
    lines, _, _ = _two_years(tmp_path, {1: last, 5: own}, {1: this, 5: prose(rng, 6)})
    assert rules(lines) == {"two.txt": [("repeated_text", 1)]}
    f = lines[0].violations[0]
    assert f.severity == "warning" and f.measure == "indel" and 0.9 <= f.similarity <= 1
    assert f.text.section == 1 and f.text.quote.startswith("2023年")
    entry = f.to_json()
    assert entry["similarity"] == f.similarity and entry["measure"] == "indel" and entry["section"] == 1
    assert "% the same" in f.message() and "indel" in f.message()


def test_repeated_text_not_below_90_percent(tmp_path):
    rng = random.Random(4)
    body = prose(rng, 15)
    # about a fifth rewritten: clearly last year's skeleton, but no copy
    sentences = body.replace("\n", "").split("。")
    rewritten = "。".join(s if i % 5 else prose(rng, 3).replace("\n", "").rstrip("。") for i, s in enumerate(sentences))
    alike = similarity(normalise(body), normalise(rewritten))
    assert 0.6 < alike < 0.9
    lines, _, _ = _two_years(tmp_path, {1: body}, {1: rewritten})
    assert lines == []


def test_repeated_text_ignores_sections_under_100_characters(tmp_path):
    short = "本年度未收取信息处理费，也没有其他需要报告的事项。"  # the same every year, legitimately
    rng = random.Random(6)
    lines, _, _ = _two_years(tmp_path, {1: prose(rng), 6: short * 4}, {1: prose(rng), 6: short * 4 + "另无其他。"})
    assert rules(lines) == {"two.txt": [("repeated_text", 6)]}  # 4 × 25 characters: long enough to compare
    lines, _, _ = _two_years(tmp_path, {1: prose(rng), 6: short}, {1: prose(rng), 6: short})
    assert lines == []


def test_similarity_is_the_indel_ratio():
    assert similarity("abcd", "abed") == pytest.approx(0.75)  # 2 × 3 / 8
    assert similarity("", "") == 1.0 and similarity("abc", "") == 0.0
    # autojunk-free: long texts made of common characters are measured exactly
    text = "政府信息公开" * 100
    assert similarity(text, text + "公开") == pytest.approx(1200 / 1202)


def test_normalise_drops_numbers_years_punctuation_and_spaces():
    assert normalise("2022年，本机关收到申请３５件（同比增长12.5%）。") == normalise("二〇二三年 本机关收到申请 41 件 同比增长 3%")
    assert normalise("ＡＢＣ abc") == "abcabc"


def test_paragraph_diff_marks_what_changed():
    a = ["第一段不变。", "2022年共收到申请35件，全部按时答复。", "这一段将被删去。"]
    b = ["第一段不变。", "2023年共收到申请41件，全部按时答复。", "全新的一段。"]
    ops = [p.op for p in paragraph_diff(a, b)]
    assert ops == ["equal", "replace", "delete", "insert"]
    changed = paragraph_diff(a, b)[1]
    assert "".join(p.text for p in changed.pieces if p.kind != "insert") == a[1]
    assert "".join(p.text for p in changed.pieces if p.kind != "delete") == b[1]
    assert [p.kind for p in char_diff("ab", "ac")] == ["equal", "delete", "insert"]


# --- pairing -----------------------------------------------------------------------------------


def test_pairing_by_stated_agency_and_year_not_file_name_or_folder(tmp_path):
    paths = chain(tmp_path / "src", [2021, 2022], break_at={2022: {"natural": 50}},
                  names_by_year={2021: "淮安市 洪泽区人民政府", 2022: "洪泽区人民政府"})
    # year folders that lie, and names that say nothing
    (tmp_path / "2022").mkdir()
    (tmp_path / "2021").mkdir()
    a = shutil.copy(paths[0], tmp_path / "2022" / "下载.txt")
    b = shutil.copy(paths[1], tmp_path / "2021" / "report(1).txt")
    lines, notes, series = run_series([a, b])
    assert [Path(line.path).parent.name for line in lines] == ["2021"]  # the 2022 report, wherever it sits
    assert lines[0].previous == str(a) and series == 1 and notes == []
    flat = tmp_path / "flat"
    flat.mkdir()
    lines_flat, _, _ = run_series([shutil.copy(a, flat / "x.txt"), shutil.copy(b, flat / "y.txt")])
    assert [(f.rule, f.col) for f in lines_flat[0].violations] == [(f.rule, f.col) for f in lines[0].violations]


def test_full_width_and_spaced_names_are_one_agency():
    assert names.normalise("洪泽区　人民政府") == names.normalise("洪泽区人民政府")
    assert names.normalise("ＡＢ县人民政府") == "AB县人民政府"
    mapping, ambiguous = names.group(["江苏省淮安市洪泽区人民政府", "淮安市洪泽区人民政府", "洪泽区人民政府"])
    assert len(set(mapping.values())) == 1 and ambiguous == []


@pytest.mark.parametrize("short, long", [
    ("司法局", "淮安市司法局"),  # no region of its own: not a parent-region variant
    ("住房和城乡建设局", "淮安市住房和城乡建设局"),  # 城乡 is no township
    ("洪泽区人民政府办公室", "淮安市洪泽区人民政府"),  # another agency of the same district
])
def test_names_that_are_not_one_agency(short, long):
    mapping, _ = names.group([short, long])
    assert mapping[short] != mapping[long]


def test_an_ambiguous_name_is_not_paired_and_said(tmp_path):
    rng = random.Random(8)
    t1 = chained(rng, 2021)
    p1 = write(tmp_path / "a.txt", "淮安市鼓楼区人民政府", 2021, t1, rng)
    p2 = write(tmp_path / "b.txt", "南京市鼓楼区人民政府", 2021, chained(rng, 2021), rng)
    p3 = write(tmp_path / "c.txt", "鼓楼区人民政府", 2022, chained(rng, 2021, {c: 99 for c in T.PART_COLS}), rng)
    lines, notes, series = run_series([p1, p2, p3])
    assert lines == [] and series == 0
    assert [(n.kind, n.agency, n.paths) for n in notes] == [("ambiguous", "鼓楼区人民政府", [str(p3)])]
    assert "淮安市鼓楼区人民政府" in notes[0].message() and "南京市鼓楼区人民政府" in notes[0].message()


def test_a_gap_is_a_note_and_no_pair(tmp_path):
    paths = chain(tmp_path, [2021, 2022, 2023])
    paths[1].unlink()
    # 2023 would not follow on from 2021: no pair across the gap
    lines, notes, series = run_series([paths[0], paths[2]])
    assert lines == [] and series == 1
    assert [(n.kind, n.years) for n in notes] == [("gap", [2022])]
    assert "2022" in notes[0].message()


def test_two_files_of_one_report_are_a_note_and_each_is_checked(tmp_path):
    paths = chain(tmp_path, [2021, 2022], break_at={2022: {"other": 3}})
    copy_2021 = shutil.copy(paths[0], tmp_path / "2021-copy.md")
    copy_2022 = shutil.copy(paths[1], tmp_path / "2022 副本.txt")
    lines, notes, series = run_series([*paths, copy_2021, copy_2022])
    assert sorted(n.kind for n in notes) == ["duplicate", "duplicate"]
    assert series == 1
    # both files of the 2022 report get its findings, each naming the first 2021 file
    assert sorted(Path(line.path).name for line in lines) == ["2022 副本.txt", "2022.txt"]
    assert {line.previous for line in lines} == {str(min(str(paths[0]), str(copy_2021)))}


def test_one_report_read_a_little_differently_is_still_one_report(tmp_path):
    # two formats' readers may disagree on table 2 (its layouts vary most): tables 3 and 4 and the prose decide
    paths = chain(tmp_path, [2021, 2022])
    text = paths[1].read_text(encoding="utf-8")
    assert "行政许可\t12" in text
    other = tmp_path / "2022-网页版.txt"
    other.write_text(text.replace("行政许可\t12", "行政许可\t"), encoding="utf-8")
    _lines, notes, _ = run_series([*paths, other])
    assert [(n.kind, n.years) for n in notes] == [("duplicate", [2022])]


def test_two_different_reports_for_one_year_are_not_paired(tmp_path):
    paths = chain(tmp_path, [2021, 2022], break_at={2022: {"other": 3}})
    rng = random.Random(99)
    other = write(tmp_path / "2022-b.txt", AGENCY, 2022, chained(rng, 2021), rng)
    lines, notes, _ = run_series([*paths, other])
    assert lines == []
    assert [(n.kind, n.years) for n in notes] == [("conflict", [2022])]


# --- the bundled reports -------------------------------------------------------------------------


def test_seeds_and_fixtures_give_no_series_findings(fixture_result):
    files = [p for p in sorted(FIXTURES.rglob("*")) if p.suffix in (".txt", ".docx", ".pdf", ".html", ".htm")]
    lines, notes, _ = run_series(files, read=fixture_result)  # (the scans from the session's one OCR run)
    assert lines == []
    # the same report saved in several formats is said once per report
    duplicates = {(n.agency, tuple(n.years)) for n in notes if n.kind == "duplicate"}
    assert ("淮安市司法局", (2020,)) in duplicates and ("江东县人民政府", (2023,)) in duplicates
    # the audit fixtures are one agency's 2023 report, varied: different reports for one year, never paired
    others = [(n.kind, n.agency, {Path(p).parent.name for p in n.paths}) for n in notes if n.kind != "duplicate"]
    assert others in ([], [("conflict", "清河县人民政府办公室", {"audit"})])


def test_record_is_small_and_has_no_report_in_it():
    import pickle

    result = check_file(FIXTURES / "pdf" / "word-2021-basic.pdf")
    size = len(pickle.dumps(result.record))
    assert size < len(pickle.dumps(result.report)) / 5
    fig = result.record.figures
    assert fig.received_new == result.report.requests["received_new"]["total"].number
    rate = (fig.granted + fig.partial) / fig.results_total
    assert fig.disclosure_rate == pytest.approx(rate)


# --- properties ------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PROVINCES = ["江苏省", "吉林省", "新疆维吾尔自治区", "广西壮族自治区"]
CITIES = ["淮安市", "长春市", "乌鲁木齐市", "济南市", "镇江市", "中山市"]
DISTRICTS = ["洪泽区", "南关区", "市中区", "盱眙县", "府谷县", "宽城满族自治县", "经济技术开发区"]
TOWNS = ["幸福乡", "高良涧街道", "蒋坝镇"]
AGENCIES = ["人民政府", "人民政府办公室", "司法局", "住房和城乡建设局", "市场监督管理局", "交通运输局", "信访局"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PROVINCES), st.sampled_from(CITIES), st.sampled_from(DISTRICTS),
       st.lists(st.sampled_from(TOWNS), max_size=1), st.sampled_from(AGENCIES), st.integers(1, 3),
       st.sampled_from(["", " ", "\u3000"]))
def test_a_name_with_its_parent_regions_in_front_is_one_agency(province, city, district, town, agency, keep, space):
    chain = [province, city, district, *town]
    full = "".join(chain) + agency
    short = space.join(chain[-keep:]) + space + agency  # the innermost regions only, spaced as some titles are
    mapping, ambiguous = names.group([names.normalise(full), names.normalise(short)])
    assert ambiguous == [] and mapping[names.normalise(full)] == mapping[names.normalise(short)]
    # the same agency of another district, or another agency of the district, is another agency
    other = "".join(chain[:-1]) + ("西湖区" if chain[-1] != "西湖区" else "东湖区") + agency
    mapping, _ = names.group([names.normalise(full), names.normalise(other)])
    assert mapping[names.normalise(full)] != mapping[names.normalise(other)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["本机关认真落实条例", "全年主动公开信息", "办理依申请公开", "加强培训", "回应社会关切"]),
                min_size=1, max_size=6),
       st.lists(st.integers(0, 99999), min_size=6, max_size=6), st.integers(2000, 2099),
       st.sampled_from(["，", "。", "、", " ", "\u3000", "（", "）", ",", ";"]))
def test_numbers_years_and_punctuation_never_change_the_compared_text(clauses, numbers, year, mark):
    noisy = f"{year}年{mark}" + "".join(f"{c}{mark}{n}件{mark}" for c, n in zip(clauses, numbers))
    full_width = noisy.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    expected = "年" + "".join(c + "件" for c in clauses)
    assert normalise(noisy) == normalise(full_width) == expected
