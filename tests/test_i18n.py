"""The language: chosen from --lang, GIKR_LANG or the locale; the catalogs complete; Chinese everywhere it is asked for."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from gikr_tui import checks, i18n
from gikr_tui.msg import Msg, msg, render

from english_words import allowed_words, english_words

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
PACKAGE = ROOT / "src" / "gikr_tui"


def _catalog_script():
    spec = importlib.util.spec_from_file_location("catalog_script", ROOT / "scripts" / "catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def zh():
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")


def gikr(*args, lang: str | None = "zh", env: dict | None = None, cwd=None):
    environment = {**os.environ, "COLUMNS": "80", **(env or {})}
    environment.pop("GIKR_LANG", None)
    if lang is not None:
        environment["GIKR_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "gikr_tui", *map(str, args)], capture_output=True, text=True,
                          env=environment, cwd=cwd)


@pytest.fixture
def gikr_here(capsys, monkeypatch):
    """`gikr ARGS` through `main` in this process, as `gikr` runs it (80 columns, GIKR_LANG=lang):
    for what the commands say, where the process itself is not the point (one start-up less each)."""
    from gikr_tui.cli import main

    def run(*args, lang: str = "zh"):
        monkeypatch.setenv("COLUMNS", "80")
        monkeypatch.setenv("GIKR_LANG", lang)
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # --help and usage errors end in argparse's exit
            code = e.code
        finally:
            i18n.set_language("en")
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["gikr", *map(str, args)], code, out, err)
    return run


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, "zh"),
        ({"GIKR_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        ({"GIKR_LANG": "zh", "LANG": "C"}, "zh"),
    ],
)
def test_language_from_the_environment(env, lang):
    assert i18n.detect(env) == lang


def test_chinese_catalog_translates_and_english_is_the_source(zh):
    assert i18n._("empty file") == "空文件"
    assert i18n.pgettext("status", "consistent") == "勾稽一致"
    i18n.set_language("en")
    assert i18n._("empty file") == "empty file"


# --- the catalogs ----------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["gikr", "argparse"])
def test_every_wrapped_string_is_translated_and_no_entry_is_stale(domain):
    """Fails on a string the code wraps that the catalog lacks or leaves untranslated or fuzzy,
    on an entry the code no longer uses, and on placeholders that differ between msgid and msgstr
    (`python scripts/catalog.py update` merges new strings in; a translator fills them)."""
    problems = _catalog_script().problems("zh", domain)
    assert problems == [], "\n".join(problems)


def test_the_catalog_check_catches_what_it_should(tmp_path, monkeypatch):
    script = _catalog_script()
    po = (PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "gikr.po").read_text(encoding="utf-8")
    bad = po.replace('msgstr "空文件"', 'msgstr ""', 1).replace("相差 {difference}", "相差 {diff}", 1)
    bad += '\nmsgid "a sentence no code says"\nmsgstr "没有代码用到的句子"\n'
    (tmp_path / "zh" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "zh" / "LC_MESSAGES" / "gikr.po").write_text(bad, encoding="utf-8")
    monkeypatch.setattr(script, "LOCALE", tmp_path)
    found = script.problems("zh", "gikr")
    assert any(line.startswith("untranslated: 'empty file'") for line in found)
    assert any(line.startswith("placeholders differ") and "{diff}" in line for line in found)
    assert any(line == "no longer used: 'a sentence no code says'" for line in found)


_MESSAGE_CALLS = {"N_", "msg", "nmsg", "ngettext", "pgettext"}


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_wrapped_strings_are_literals_the_extractor_can_read():
    """`msg("…")`, `N_("…")`, `ngettext("…", "…", n)`, `pgettext("ctx", "…")` take string literals
    (not f-strings, not names), or their text never reaches the catalog; `_()` may also take a
    variable holding an `N_()`-marked string, but never an f-string or a concatenation."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("msg.py", "i18n.py"):
            continue  # the machinery: it words messages that are data
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name in _MESSAGE_CALLS:
                count = 2 if name in ("ngettext", "nmsg", "pgettext") else 1
                if len(node.args) < count or not all(_literal(a) for a in node.args[:count]):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
            elif name == "_" and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp)):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert wrong == [], "\n".join(wrong)


def test_a_reason_for_people_is_a_message_not_a_string():
    from gikr_tui.errors import DamagedFile, ReportError

    with pytest.raises(TypeError):
        ReportError("truncated PDF")
    error = DamagedFile(msg("truncated PDF (page {page} is missing)", page=3))
    assert str(error) == "truncated PDF (page 3 is missing)"


def test_check_titles_in_chinese_are_the_catalogs(zh):
    for item in checks.all_checks():
        assert i18n._(item.title) == item.title_zh, item.id
        assert checks.title(item) == item.title_zh


def test_a_message_is_worded_where_it_is_shown(zh):
    note = msg("{first}; {second}", first=msg("row not found: {label}", label="（一）予以公开"),
               second=msg("table 4: group {group} not found", group="行政复议"))
    assert render(note) == "未找到此行：（一）予以公开；表四：未找到“行政复议”一组"
    i18n.set_language("en")
    assert str(note) == "row not found: （一）予以公开; table 4: group 行政复议 not found"


def test_a_translation_that_breaks_falls_back_to_english(zh, monkeypatch):
    monkeypatch.setattr(i18n, "_", lambda text: "坏的 {nobody}")
    assert render(Msg("empty {what}", {"what": "file"})) == "empty file"


def test_the_compiled_catalog_is_kept_and_babel_is_not_needed_again(tmp_path):
    probe = "import sys; from gikr_tui import i18n; i18n.set_language('zh'); print(i18n._('empty file'), 'babel' in sys.modules)"
    env = {**os.environ, "GIKR_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    second = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert first.stdout.split() == ["空文件", "True"]  # compiled from the .po by babel
    assert second.stdout.split() == ["空文件", "False"]  # read back with the standard library alone
    assert [p.suffix for p in (tmp_path / "locale").iterdir()] == [".mo"]


# --- what the commands say ------------------------------------------------------------------------


def test_the_brief_example_reads_like_the_report(zh):
    from gikr_tui.checks import Finding

    f = Finding("results_total", "error", 45, 47, col="natural")
    assert f.message() == "（七）总计/自然人：填报 45，各项合计 47，相差 −2"
    assert f.to_json()["rule"] == "results_total" and f.to_json()["severity"] == "error"


@pytest.mark.parametrize("command", [(), ("check",), ("summary",), ("compare",)])
def test_help_in_chinese_fits_80_columns_and_says_no_english(command, gikr_here):
    got = gikr_here(*command, "--help")
    assert got.returncode == 0
    lines = got.stdout.splitlines()
    assert lines[0].startswith("用法：gikr")
    assert "选项：" in lines and "显示本帮助后退出" in got.stdout
    assert max(cell_len(line) for line in lines) <= 80, got.stdout
    assert english_words(got.stdout, allowed_words()) == []
    english = gikr_here(*command, "--help", lang="en")
    assert english.stdout.startswith("usage: gikr") and "show this help message and exit" in english.stdout


def test_lang_option_beats_the_environment():
    got = gikr("check", "--lang", "en", FIXTURES / "broken" / "encrypted.pdf", lang="zh")
    assert "encrypted PDF (it needs a password to open)" in got.stdout
    got = gikr("check", "--lang=zh", FIXTURES / "broken" / "encrypted.pdf", lang="en", env={"LANG": "en_US.UTF-8"})
    assert "PDF 文件已加密（需要密码才能打开）" in got.stdout
    bad = gikr("check", "--lang", "fr", FIXTURES / "broken")
    assert bad.returncode == 2 and "无效的选择：'fr'（可选：'zh', 'en'）" in bad.stderr


def test_usage_errors_in_chinese(gikr_here):
    got = gikr_here("check")
    assert got.returncode == 2 and "缺少必需的参数：路径" in got.stderr
    got = gikr_here("check", "--jobs", "0", FIXTURES / "copies")
    assert got.returncode == 2 and "gikr check：错误：--jobs 至少为 1" in got.stderr
    got = gikr_here("summary", "--bogus", FIXTURES / "copies")
    assert got.returncode == 2 and "无法识别的参数：--bogus" in got.stderr


def _age(path: Path, source: Path | None = None) -> None:
    """A file written a minute ago (one written moments ago is not cached yet)."""
    from test_cache import _age as age

    path.write_bytes(source.read_bytes() if source else b"")
    age(path)


def test_one_cached_result_serves_both_languages(tmp_path):
    """Findings, notes and errors are stored as data and worded where they are shown."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("pipe-blank-first-cell.txt", "site-title-field.html"):
        _age(folder / name, FIXTURES / "copies" / name)
    _age(folder / "empty.txt")
    env = {"GIKR_CACHE_DIR": str(tmp_path / "cache")}
    english = gikr("check", "--format", "jsonl", folder, lang="en", env=env)
    chinese = gikr("check", "--format", "jsonl", folder, lang="zh", env=env)
    assert "3 from cache" not in english.stderr and "3 个取自缓存" in chinese.stderr
    en = {Path(r["path"]).name: r for r in map(json.loads, english.stdout.splitlines())}
    cn = {Path(r["path"]).name: r for r in map(json.loads, chinese.stdout.splitlines())}
    assert (en["empty.txt"]["error"], cn["empty.txt"]["error"]) == ("empty file", "空文件")
    [f_en], [f_cn] = en["pipe-blank-first-cell.txt"]["violations"], cn["pipe-blank-first-cell.txt"]["violations"]
    assert f_en["message"] == "行政诉讼·未经复议直接起诉 总计: reported 11, parts sum to 10, +1"
    assert f_cn["message"] == "行政诉讼·未经复议直接起诉 总计：填报 11，分项合计 10，相差 +1"
    # machine-readable words never change: keys, rule ids, status and severity words
    for a, b in zip(en.values(), cn.values()):
        assert list(a) == list(b) and a["status"] == b["status"]
    assert {k: v for k, v in f_en.items() if k != "message"} == {k: v for k, v in f_cn.items() if k != "message"}
    notes_en = en["site-title-field.html"]["notes"]
    notes_cn = cn["site-title-field.html"]["notes"]
    assert len(notes_en) == len(notes_cn)


def test_every_unreadable_file_is_told_in_chinese(tmp_path, zh):
    """Each of the 30-odd kinds of junk the broken-file tests build gets its one line in Chinese."""
    from broken_files import make_broken_folder

    from gikr_tui.pipeline import check_file

    folder = make_broken_folder(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    allowed = allowed_words(names)
    said = {}
    for path in sorted(folder.iterdir()):
        result = check_file(path)
        if result.error is not None:
            said[path.name] = str(result.error)
            assert english_words(said[path.name], allowed) == [], (path.name, said[path.name])
    assert len(said) >= 20


def test_the_chinese_readme_starts_with_the_same_two_commands():
    def commands(name: str) -> str:
        text = (ROOT / name).read_text(encoding="utf-8")
        return text.split("```sh\n", 1)[1].split("```", 1)[0]

    assert commands("README.zh.md") == commands("README.md")
    assert "[中文](README.zh.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
