"""The installed `gikr` in a real terminal (tmux): open a broken report with keys, read the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_tui import make_folder

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


# tmux may put COLUMNS and LINES of another size into a new pane's
# environment, and Textual believes them over the terminal itself
# (shutil.get_terminal_size): the app then draws at 80×24 in a larger window.
SIZE_FROM_TERMINAL = "-u COLUMNS -u LINES"


def _gikr_command() -> list[str]:
    local = Path(sys.executable).with_name("gikr")
    found = str(local) if local.exists() else shutil.which("gikr")
    return [found] if found else [sys.executable, "-m", "gikr_tui"]


# How often a test looks at the screen (a capture is a few ms of tmux): the wait for a screen
# is this much longer at most.
POLL = 0.05


class Tmux:
    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket]

    def __call__(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, check=False).stdout

    def start(self, command: str, width: int, height: int) -> None:
        """Run `command` in a new session of `width`×`height`."""
        self("new-session", "-d", "-s", "gikr", "-x", str(width), "-y", str(height), command)

    def gikr(self, folder: Path, size: tuple[int, int], args: str = "", then: str = "", env: str = "TERM=xterm-256color") -> None:
        """The installed gikr in `folder`, sharing the test run's parse cache; `then` runs after it exits."""
        cache = shlex.quote(os.environ.get("GIKR_CACHE_DIR", str(folder.parent / "cache")))
        command = (
            f"cd {shlex.quote(str(folder))} && env {SIZE_FROM_TERMINAL} TEXTUAL_ANIMATIONS=none GIKR_CACHE_DIR={cache} {env} "
            f"{shlex.join(_gikr_command())} {args}"
        )
        self.start(command + (f"; {then}" if then else ""), *size)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "gikr")

    def wait_for(self, *needles: str, absent: tuple[str, ...] = (), bound: float = 60.0) -> str:
        end = time.monotonic() + bound
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if all(n in screen for n in needles) and not any(n in screen for n in absent):
                return screen
            time.sleep(POLL)
        raise AssertionError(f"never saw {needles!r} (without {absent!r}) on screen:\n{screen}")


def test_broken_report_read_off_a_real_terminal(tmp_path):
    folder = make_folder(tmp_path)
    tmux = Tmux(f"gikr-test-{os.getpid()}")
    tmux.gikr(folder, (100, 30), env="TEXTUAL_FPS=30 TERM=xterm-256color")
    try:
        tmux.wait_for("1 Files", "b-broken.txt", "2!  b-broken.txt", "ok  a-good.txt")
        tmux("send-keys", "-t", "gikr", "]")
        tmux.wait_for("3 Grid · b-broken.txt")
        tmux("send-keys", "-t", "gikr", "3")
        tmux.wait_for("一、本年新收政府信息公开申请数量 / 总计: 31")  # 总计 first, frozen beside the labels
        tmux("send-keys", "-t", "gikr", "l")
        screen = tmux.wait_for("自然人: 29 · in a failed identity (!) · from line 83", "columns sum to 32, -1")
        # the marked cell, the finding that explains it, and the detail line
        assert "29!" in screen and "31!" not in screen.split("\n")[0]
        assert "一、本年新收政府信息公开申请数量 / 自然人: 29" in screen
        tmux("send-keys", "-t", "gikr", "n")
        tmux.wait_for("商业企业: 3 · in a failed identity (!) · from line 84")
        tmux("send-keys", "-t", "gikr", "h")
        tmux.wait_for("自然人: 29 · in a failed identity (!) · from line 83")
        # edit it back to consistent with the keyboard
        tmux("send-keys", "-t", "gikr", "e")
        tmux.wait_for("editing 一、本年新收政府信息公开申请数量 / 自然人 = 29")
        tmux("send-keys", "-t", "gikr", "2", "8", "Enter")
        tmux.wait_for("ok*  b-broken.txt", "28*", "every check holds")
        # quitting with an edit asks first
        tmux("send-keys", "-t", "gikr", "q")
        tmux.wait_for("Quit? Your edits to 1 file are dropped")
        tmux("send-keys", "-t", "gikr", "y")
        end = time.monotonic() + 20
        while "gikr" in tmux("list-sessions") and time.monotonic() < end:
            time.sleep(POLL)
        assert "gikr" not in tmux("list-sessions")
    finally:
        tmux("kill-server")
    assert (folder / "b-broken.txt").read_text(encoding="utf-8").split("\n")[82].strip() == "29"


def test_theme_option_on_a_16_colour_terminal(tmp_path):
    folder = make_folder(tmp_path)
    tmux = Tmux(f"gikr-theme-{os.getpid()}")
    tmux.gikr(folder, (80, 24), "--theme ansi-dark", then="echo exit=$?; sleep 30", env="TERM=xterm")
    try:
        tmux.wait_for("1 Files", "ok  a-good.txt", "2!  b-broken.txt")
        # the failed identity is still told apart without colour: the ASCII mark
        tmux("send-keys", "-t", "gikr", "]")
        # (the Findings pane follows the grid by a frame or two)
        tmux.wait_for("29!", "columns sum to 32, -1")
        tmux("send-keys", "-t", "gikr", "q")
        tmux.wait_for("exit=0")
    finally:
        tmux("kill-server")


def test_a_burst_of_keys_in_one_send_keys_call(tmp_path):
    # Keys that arrive together, as over SSH, each go where the one before left
    # the focus: the digits into the cell that Enter opened, the letters into
    # the filter that / opened.
    folder = make_folder(tmp_path)
    tmux = Tmux(f"gikr-burst-{os.getpid()}")
    tmux.gikr(folder, (100, 30))
    try:
        tmux.wait_for("ok  a-good.txt", "2!  b-broken.txt")
        tmux("send-keys", "-t", "gikr", "]", "3", "l", "Enter", "2", "8", "Enter")
        tmux.wait_for("ok*  b-broken.txt", "28*", "every check holds")
        tmux("send-keys", "-t", "gikr", "1", "/", "g", "o", "o", "d", "Enter")
        # the filter holds the letters, and the list shows what they match
        tmux.wait_for("│good ", "ok  a-good.txt", absent=("b-broken.txt",), bound=20)
    finally:
        tmux("kill-server")


def test_readmes_first_command_opens_the_inspector_on_the_bundled_reports(tmp_path):
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    first = readme.split("```sh\n", 1)[1].splitlines()[0]
    gikr, args = first.rsplit("&& ", 1)[1].split(" ", 1)
    assert gikr == ".venv/bin/gikr"
    tmux = Tmux(f"gikr-readme-{os.getpid()}")
    tmux.gikr(root, (80, 24), args, then="echo exit=$?; sleep 30")
    try:
        tmux.wait_for("1 Files", "▼ fixtures", " files: ")  # the folder and its counts
        tmux.wait_for(" ok  ", bound=60)  # badges arrive as the reports are read
        tmux("send-keys", "-t", "gikr", "q")
        tmux.wait_for("exit=0")
    finally:
        tmux("kill-server")
