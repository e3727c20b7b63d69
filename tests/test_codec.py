"""Results as data: every field of the model round-trips, including fields added later.

The strategies below are derived from the dataclasses' own fields and type
hints, as the codec is: a field another change adds to Report, Section,
Value, Origin, Note, Finding or Result is generated and checked here with no
edit to this file or to the codec.
"""

import dataclasses
import types
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gikr_tui import codec
from gikr_tui.model import Origin, Report, Value
from gikr_tui.msg import Msg
from gikr_tui.pipeline import Result, check_file
from gikr_tui.records import brief, parsed
from gikr_tui.checks import Finding

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# text as reports and file names carry it: controls, CJK, anything but lone
# surrogates (which no decoder produces inside a report)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
NUMBERS = st.floats(allow_nan=False, allow_infinity=False, width=32)


def strategy(tp, depth: int = 0):
    """Instances of `tp`, built from its fields' type hints (bounded depth)."""
    if tp is type(None):
        return st.none()
    if tp is str:
        return TEXT
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-10**6, 10**6)
    if tp is float:
        return NUMBERS
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: strategy(hints[f.name], depth + 1) for f in dataclasses.fields(tp) if f.init}
        return st.builds(tp, **fields)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([strategy(a, depth) for a in args])
    deep = depth > 4  # containers end here: Section.children holds Sections
    if origin is list:
        return st.just([]) if deep else st.lists(strategy(args[0], depth + 1), max_size=3)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.just(()) if deep else st.lists(strategy(args[0], depth + 1), max_size=3).map(tuple)
        return st.tuples(*[strategy(a, depth + 1) for a in args])
    if origin is dict:
        return st.just({}) if deep else st.dictionaries(TEXT, strategy(args[1], depth + 1), max_size=3)
    if typing.get_origin(tp) is typing.Literal:
        return st.sampled_from(args)
    raise TypeError(f"no strategy for {tp!r}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategy(Result))
def test_every_result_round_trips(result):
    assert codec.loads(Result, codec.dumps(result)) == result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(strategy(Result))
def test_a_brief_keeps_the_scalars_and_notes_and_drops_the_tables(result):
    small = codec.loads(Result, codec.dumps(brief(result)))
    assert (small.status, small.error, small.findings) == (result.status, result.error, result.findings)
    if result.report is not None:
        for f in dataclasses.fields(Report):
            value = getattr(result.report, f.name)
            kept = getattr(small.report, f.name)
            dropped = isinstance(value, (list, dict)) and f.name != "notes"  # the table and csv print the notes
            assert kept == (type(value)() if dropped else value), f.name


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".txt", ".docx", ".htm", ".html", ".pdf"})[:40],
                         ids=lambda p: p.name)
def test_real_results_round_trip(path):
    result = check_file(path)
    assert codec.loads(Result, codec.dumps(result)) == result


def test_a_field_added_to_the_model_needs_no_codec_change():
    # What later work may add: a finding with a quote and a confidence, a
    # value with an OCR confidence.  Built as new dataclasses from the
    # real ones plus the new fields, they round-trip as they are.
    def grown(cls, *extra):
        spec = [(f.name, f.type, f) for f in dataclasses.fields(cls)]
        return dataclasses.make_dataclass(cls.__name__, spec + list(extra), frozen=cls.__dataclass_params__.frozen,
                                          slots=True, namespace={"__module__": cls.__module__})

    RichFinding = grown(Finding, ("quote", "str | None", dataclasses.field(default=None)),
                        ("confidence", "float | None", dataclasses.field(default=None)))
    OcrValue = grown(Value, ("confidence", "float | None", dataclasses.field(default=None)))
    Holder = dataclasses.make_dataclass("Holder", [("findings", list[RichFinding]), ("cells", dict[str, OcrValue])])
    holder = Holder(
        [RichFinding("row_total", "warning", 31, 32, (("received_new", "total"),), row="received_new",
                     quote="本年新收 31", confidence=0.5)],
        {"natural": OcrValue(29, "29", Origin(page=2, bbox=(1.0, 2.0, 3.5, 4.0)), confidence=0.87)},
    )
    back = codec.loads(Holder, codec.dumps(holder))
    assert back == holder
    assert back.findings[0].quote == "本年新收 31" and back.cells["natural"].confidence == 0.87


def test_bytes_that_are_not_what_gikr_wrote_are_an_error_not_an_object():
    import pickle

    for junk in (b"", b"\x80\x04K\x01.", pickle.dumps({"path": "x"}), b'{"path": 1}', b"x\x9c garbage",
                 b'{"path":"p","status":"ok","report":{"format":"text","template":"2021"}}'):
        with pytest.raises(codec.CodecError):
            codec.loads(Result, junk)


def test_a_file_name_that_is_not_utf8_travels_beside_the_data():
    name = "/tmp/" + "\udcc4\udcea report.txt"  # bytes of another encoding, as os.fsdecode gives them
    result = Result(name, "error", "text", error=Msg("empty file"))
    p = parsed(result)
    assert p.path == name
    assert codec.loads(Result, p.brief).path == ""
    bad = Result("", "error", error=Msg("{name} is bad", {"name": "bad \udcff text"}))
    assert codec.loads(Result, codec.dumps(bad)).error.args["name"] == "bad \ufffd text"


def test_rows_to_store_are_compressed_and_briefs_are_small():
    result = check_file(FIXTURES / "docx" / "2021-style-numbered.docx")
    row = parsed(result, key=("a key",))
    assert row.data[:1] == b"x"  # zlib
    assert len(row.data) < len(codec.dumps(result, compress=False)) / 3
    assert len(row.brief) < 2000
    # what only travels to the parent is not packed, nor is what nobody reads; the brief always
    # travels (jsonl takes the findings from it rather than decode the whole report)
    whole, brief_only = parsed(result, full=True), parsed(result, full=False)
    assert whole.data[:1] == b"{" and whole.brief == brief_only.brief
    assert brief_only.data is None and brief_only.brief is not None
