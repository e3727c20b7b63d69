"""The core never imports Textual, and the heavy readers load only when needed."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import gikr_tui

CORE = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(gikr_tui.__path__, "gikr_tui.")
    if not name.startswith("gikr_tui.tui") and name != "gikr_tui.__main__"
)


def _loaded_after(module: str) -> set[str]:
    code = f"import sys, importlib; importlib.import_module({module!r}); print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_module_list_is_not_empty():
    assert {"gikr_tui.checks", "gikr_tui.checks.arithmetic", "gikr_tui.model", "gikr_tui.pipeline", "gikr_tui.cli"} <= set(CORE)


def _loaded_after_all(modules: list[str]) -> set[str]:
    code = f"import sys, importlib; [importlib.import_module(m) for m in {modules!r}]; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_no_core_module_imports_textual():
    # One process imports them all (a process per module cost seconds): if none
    # of them loads textual, no single one does; if one does, find which.
    if "textual" in _loaded_after_all(CORE):
        culprits = [module for module in CORE if "textual" in _loaded_after(module)]
        raise AssertionError(f"{', '.join(culprits)} import textual")


def test_entry_points_do_not_import_pdf_or_docx_libraries():
    for module in ("gikr_tui.cli", "gikr_tui.pipeline", "gikr_tui.interpret"):
        loaded = _loaded_after(module)
        assert "pdfplumber" not in loaded, f"{module} imports pdfplumber"
        assert "docx" not in loaded, f"{module} imports docx"


def test_tui_package_is_where_textual_lives():
    # the check above would pass vacuously if nothing imported textual at all
    loaded = _loaded_after("gikr_tui.tui.app")
    assert "textual" in loaded
    # nor does the inspector's first frame wait for what it never does before a key asks
    # (interpreting runs in the workers; an export is the `x` key's)
    assert not {"gikr_tui.interpret", "gikr_tui.tui.export"} & loaded


def test_tui_headless_core_has_no_textual():
    assert "textual" not in _loaded_after("gikr_tui.tui.session")
    assert Path(gikr_tui.__file__).parent.joinpath("tui", "app.tcss").exists()


def _loaded_reading(paths: list[Path]) -> set[str]:
    code = (
        "import sys; from gikr_tui.pipeline import check_file\n"
        f"for p in {[str(p) for p in paths]!r}: check_file(p)\n"
        "print('\\n'.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_label_likeness_loads_only_for_damaged_labels():
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    clean = sorted(fixtures.glob("seeds/*.txt")) + sorted(fixtures.glob("html/*.htm*")) + sorted(fixtures.glob("docx/*.docx"))
    assert "rapidfuzz" not in _loaded_reading(clean)
    assert "rapidfuzz" in _loaded_reading([fixtures / "copies" / "pdf-converter-label-lines.txt"])
