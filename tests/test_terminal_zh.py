"""A Chinese user over SSH at 80×24: the installed `gikr`, driven in tmux with LANG=zh_CN.UTF-8, shows no English.

Every screen is scanned for words of ASCII letters that are not a file name,
a rule id or a key name (english_words.py says which names pass).
"""

from __future__ import annotations

import os
import random
import shlex
import shutil
import time
from pathlib import Path

import pytest

from english_words import allowed_words, english_words
from series_maker import chained, forward_of, prose, write
from test_cache import _age
from test_terminal import POLL, Tmux, _gikr_command

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WIDTH, HEIGHT = 80, 24
# the locale a Chinese user's terminal has; GIKR_LANG (which the suite sets to en) is not set
CHINESE = "env -u GIKR_LANG -u LC_ALL -u LC_MESSAGES -u COLUMNS -u LINES LANG=zh_CN.UTF-8 TERM=xterm-256color"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """One agency's 2021 and 2022 (2022 copies 2021's 总体情况 and carries one too many over),
    copies as agencies publish them, and two files that cannot be read."""
    root = tmp_path_factory.mktemp("zh-terminal") / "年报"
    rng = random.Random(15)
    body = prose(rng)
    t21 = chained(rng, 2021)
    write(root / "洪泽" / "2021.txt", "淮安市洪泽区人民政府", 2021, t21, rng,
          prose_by_section={1: "2021年，" + body, 5: prose(rng, 6)})
    carried = forward_of(t21)
    carried["natural"] += 1
    write(root / "洪泽" / "2022.txt", "淮安市洪泽区人民政府", 2022, chained(rng, 2021, carried), rng,
          prose_by_section={1: "2022年，" + body, 5: prose(rng, 6)})
    for name in ("pipe-blank-first-cell.txt", "site-title-field.html"):
        (root / name).write_bytes((FIXTURES / "copies" / name).read_bytes())
    (root / "encrypted.pdf").write_bytes((FIXTURES / "broken" / "encrypted.pdf").read_bytes())
    (root / "empty.txt").write_bytes(b"")
    for path in root.rglob("*.*"):
        _age(path)  # a file written moments ago is not cached yet
    return root


def _allowed(root: Path) -> set[str]:
    return allowed_words([p.relative_to(root.parent) for p in root.rglob("*")] + [root.name])


class Terminal:
    """One 80×24 tmux window per command; the whole of what it printed, scrolled off or not."""

    def __init__(self, name: str, cache: str) -> None:
        self.name = name
        self.cache = cache
        self.runs = 0

    def run(self, folder: Path, args: str) -> str:
        self.runs += 1
        tmux = Tmux(f"{self.name}-{self.runs}")  # a server of its own: the last one may still be ending
        command = (f"cd {shlex.quote(str(folder))} && {CHINESE} GIKR_CACHE_DIR={shlex.quote(self.cache)} "
                   f"{shlex.join(_gikr_command())} {args}; echo __END__ $?; sleep 120")
        tmux("-u", "new-session", "-d", "-s", "gikr", "-x", str(WIDTH), "-y", str(HEIGHT), command)
        try:
            end = time.monotonic() + 120
            text = ""
            while time.monotonic() < end:
                text = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "gikr")
                if "__END__" in text:
                    return text[: text.index("__END__")]
                time.sleep(POLL)
            raise AssertionError(f"`gikr {args}` did not finish:\n{text}")
        finally:
            tmux("kill-server")


def test_every_command_speaks_chinese_at_80x24(reports, tmp_path):
    terminal = Terminal(f"gikr-zh-cli-{os.getpid()}", os.environ.get("GIKR_CACHE_DIR", str(tmp_path / "cache")))
    allowed = _allowed(reports)
    seen: dict[str, str] = {}
    for args in ("--help", "check --help", "summary --help", "compare --help",
                 "check --no-cache .", "check .", "check --lang zh .", "summary .", "compare 洪泽/2021.txt 洪泽/2022.txt",
                 "compare 洪泽/2021.txt empty.txt"):
        screen = terminal.run(reports, args)
        seen[args] = screen
        assert english_words(screen, allowed) == [], f"gikr {args}:\n{screen}"
    # what the screens say, so that a blank screen cannot pass
    assert "用法：gikr [-h] [--lang zh|en]" in seen["--help"] and "显示本帮助后退出" in seen["check --help"]
    check = seen["check --no-cache ."]
    assert "勾稽一致" in check and "存在问题" in check and "无法读取" in check
    assert "PDF 文件已加密（需要密码才能打开）" in check and "空文件" in check
    assert "行政诉讼·未经复议直接起诉 总计：填报 11，分项合计 10，相差 +1" in check
    assert "跨年度问题" in check and "二、上年结转/自然人：填报" in check and "内容雷同" not in check
    assert "repeated_text（警告）" in check and "与上年报告" in check
    assert "共 6 个文件：勾稽一致" in check and "6 个取自缓存" in seen["check --lang zh ."]
    assert "按机关合计" in seen["summary ."] and "按年度合计" in seen["summary ."]
    assert "甲  洪泽/2021.txt" in seen["compare 洪泽/2021.txt 洪泽/2022.txt"]
    assert "empty.txt: 空文件" in seen["compare 洪泽/2021.txt empty.txt"]


def test_the_inspector_speaks_chinese_at_80x24(reports, tmp_path):
    """Main screen, the files that need a look (unreadable ones too), findings, help and palette."""
    tmux = Tmux(f"gikr-zh-tui-{os.getpid()}")
    cache = shlex.quote(os.environ.get("GIKR_CACHE_DIR", str(tmp_path / "cache")))
    command = (f"cd {shlex.quote(str(reports))} && {CHINESE} TEXTUAL_ANIMATIONS=none GIKR_CACHE_DIR={cache} "
               f"{shlex.join(_gikr_command())}; echo __END__ $?; sleep 60")
    tmux("-u", "new-session", "-d", "-s", "gikr", "-x", str(WIDTH), "-y", str(HEIGHT), command)
    allowed = _allowed(reports)
    screens: dict[str, str] = {}

    def look(name: str, *needles: str, absent: tuple[str, ...] = ()) -> str:
        screen = tmux.wait_for(*needles, absent=absent)
        screens[name] = screen
        assert english_words(screen, allowed) == [], f"{name}:\n{screen}"
        return screen

    def keys(*names: str) -> None:
        tmux("send-keys", "-t", "gikr", *names)

    try:
        # every badge in: nothing still being read
        look("main", "1 文件", "2 目录", "4 问题", "正常", "异常", "q 退出", "? 帮助", absent=("··",))
        # the first file is open: empty.txt, which cannot be read
        look("unreadable", "empty.txt：无法读取：空文件")
        keys("]")  # the next file that needs a look
        look("encrypted", "encrypted.pdf", "PDF 文件已加密（需要密码才能打开）")
        keys("]")  # a report with findings, its grid and findings
        look("findings", "pipe-blank-first-cell.txt", "表三 / 表四", "错误（1）")
        keys("4")
        look("findings pane", "分项合计 10", "转到")
        keys("?")
        look("help", "按键（Esc 关闭）", "任何位置")
        keys("Escape")
        tmux.wait_for("4 问题", absent=("按键（Esc 关闭）",))
        keys("C-p")
        look("palette", "搜索命令…")
        keys("导", "出")
        look("palette search", "以 CSV 导出问题")
        keys("Escape")
        tmux.wait_for("4 问题", absent=("以 CSV 导出问题",))
        keys("q")
        tmux.wait_for("__END__ 0")
    finally:
        tmux("kill-server")
    assert "甲" not in screens["main"]  # (the screens are the inspector's, not a command's)
