"""The folder scanner the CLI and the TUI share."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gikr_tui.readers import FORMATS, format_of
from gikr_tui.scan import ScanProblem, scan


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_recursive_sorted_skipping_hidden_and_unsupported(tmp_path):
    _touch(tmp_path / "b" / "2021.txt")
    _touch(tmp_path / "a.md")
    _touch(tmp_path / "b" / "c" / "deep.docx")
    _touch(tmp_path / "b" / "notes.xlsx")  # not a format gikr reads
    _touch(tmp_path / ".hidden.txt")
    _touch(tmp_path / ".git" / "inside.txt")
    _touch(tmp_path / "B.PDF")  # suffixes compare case-insensitively
    found = scan([tmp_path])
    rel = [os.path.relpath(p, tmp_path) for p in found]
    assert rel == ["B.PDF", "a.md", "b/2021.txt", "b/c/deep.docx"]
    assert found == sorted(found)


def test_chinese_names_and_spaces(tmp_path):
    a = _touch(tmp_path / "淮安 市" / "2023年 政府信息公开 年度报告.txt")
    b = _touch(tmp_path / "淮安 市" / "附件 一.md")
    assert scan([tmp_path]) == sorted([str(a), str(b)])


def test_symlink_loop_ends_and_lists_each_file_once(tmp_path):
    report = _touch(tmp_path / "top" / "report.txt")
    (tmp_path / "top" / "sub").mkdir()
    os.symlink(tmp_path / "top", tmp_path / "top" / "sub" / "back")  # sub/back -> top: a loop
    problems: list[ScanProblem] = []
    found = scan([tmp_path / "top"], problems)
    assert found == [str(report)]
    assert [(p.message, p.error) for p in problems] == [("symlink loop, not followed", False)]


def test_folder_reached_twice_is_listed_once(tmp_path):
    _touch(tmp_path / "real" / "r.txt")
    os.symlink(tmp_path / "real", tmp_path / "alias")
    problems: list[ScanProblem] = []
    # the first path by name wins, whatever order the disk lists them in
    assert scan([tmp_path], problems) == [str(tmp_path / "alias" / "r.txt")]
    assert problems == []


def test_a_folder_symlink_out_of_the_folder_is_not_followed_unless_asked(tmp_path):
    # A link to /usr inside a folder of reports once meant reading 2,235 files
    # from /usr: the scan stays inside the folders given.
    outside = _touch(tmp_path / "elsewhere" / "other.txt")
    inside = _touch(tmp_path / "reports" / "a.txt")
    os.symlink(tmp_path / "elsewhere", tmp_path / "reports" / "link")
    os.symlink("/usr", tmp_path / "reports" / "usr")
    problems: list[ScanProblem] = []
    assert scan([tmp_path / "reports"], problems) == [str(inside)]
    assert sorted((os.path.basename(p.path), p.error) for p in problems) == [("link", False), ("usr", False)]
    assert "not followed (--follow-symlinks follows it)" in problems[0].message
    # asked to follow: the link is read as a folder of the tree
    os.unlink(tmp_path / "reports" / "usr")  # (not all of /usr, here)
    followed = scan([tmp_path / "reports"], follow_symlinks=True)
    assert str(tmp_path / "reports" / "link" / "other.txt") in followed
    # a folder given on the command line is inside the folders given
    both = scan([tmp_path / "reports", tmp_path / "elsewhere"])
    assert sorted(os.path.basename(p) for p in both) == ["a.txt", "other.txt"]
    assert os.path.realpath(next(p for p in both if p.endswith("other.txt"))) == str(outside)


def test_the_command_line_stays_inside_the_folder(tmp_path):
    _touch(tmp_path / "elsewhere" / "other.txt")
    _touch(tmp_path / "reports" / "a.txt")
    os.symlink(tmp_path / "elsewhere", tmp_path / "reports" / "link")
    cmd = [sys.executable, "-m", "gikr_tui", "check", str(tmp_path / "reports"), "--format", "csv", "--no-cache"]
    got = subprocess.run(cmd, capture_output=True, text=True)
    assert "other.txt" not in got.stdout
    assert "link: symlink to a folder outside the folders given" in got.stderr
    followed = subprocess.run(cmd + ["--follow-symlinks"], capture_output=True, text=True)
    assert "link/other.txt" in followed.stdout


def test_symlinked_file_is_followed(tmp_path):
    target = _touch(tmp_path / "store" / "data.bin")
    os.symlink(target, tmp_path / "linked.txt")
    assert scan([tmp_path]) == [str(tmp_path / "linked.txt")]


def test_report_names_that_are_not_plain_files_are_listed_for_the_check_to_explain(tmp_path):
    from gikr_tui.pipeline import check_file

    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # must not block anyone: the check opens nothing that waits
    os.mkfifo(tmp_path / "pipe.bin")  # not a report name: not listed
    real = _touch(tmp_path / "real.txt")
    found = scan([tmp_path])
    assert found == [str(tmp_path / "dangling.txt"), str(tmp_path / "pipe.txt"), str(real)]
    assert [check_file(p).status for p in found[:2]] == ["error", "error"]


def test_file_named_explicitly_is_kept_as_given(tmp_path):
    odd = _touch(tmp_path / ".hidden report.xlsx")
    folder_file = _touch(tmp_path / "f" / "a.txt")
    found = scan([odd, tmp_path / "f"])
    assert found == sorted([str(odd), str(folder_file)])


def test_missing_path_is_a_problem_not_a_file(tmp_path):
    problems: list[ScanProblem] = []
    assert scan([tmp_path / "nope.txt"], problems) == []
    assert problems == [ScanProblem(str(tmp_path / "nope.txt"), "no such file or folder", True)]


def test_duplicate_arguments_give_one_entry(tmp_path):
    report = _touch(tmp_path / "r.txt")
    assert scan([tmp_path, tmp_path, report]) == [str(report)]


_SCAN_AS_USER = """
import json, sys
from gikr_tui.scan import scan
problems = []
found = scan([sys.argv[1]], problems)
print(json.dumps({"found": found, "problems": [[p.path, p.message, p.error] for p in problems]}))
"""


def test_unreadable_folder_is_a_problem_and_the_rest_is_scanned():
    # root reads every folder, so as root the scan runs as `nobody`
    root = Path(tempfile.mkdtemp(prefix="gikr-scan-"))
    try:
        root.chmod(0o755)
        ok = _touch(root / "open" / "r.txt")
        _touch(root / "closed" / "secret.txt")
        for folder in (root / "open", root):
            folder.chmod(0o755)
        ok.chmod(0o644)
        (root / "closed").chmod(0o000)
        cmd = [sys.executable, "-c", _SCAN_AS_USER, str(root)]
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv to drop privileges")
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        got = json.loads(out)
        assert got["found"] == [str(ok)]
        assert got["problems"] == [[str(root / "closed"), "permission denied", True]]
    finally:
        (root / "closed").chmod(0o755)
        shutil.rmtree(root)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aT./\\ x.tMdD", max_size=14))
@example("..md")
@example("a/..TXT")
@example("x.txt/.")
@example(".md")
def test_format_of_is_the_suffix_a_path_has(name):
    # format_of skips making a Path (it runs for every file, on the inspector's thread too):
    # it must read a name exactly as Path(...).suffix does — dotfiles, "..txt", "a.", "x.txt/."
    assert format_of(name) == FORMATS.get(Path(name).suffix.lower())
