"""The command line speaks Chinese with English, and shared options read the same everywhere."""

from __future__ import annotations

import argparse
import re
from collections import defaultdict

import pytest

from perfscore.cli import build_parser, main

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {"perfscore": parser, **dict(subparsers.choices)}


COMMANDS = _commands()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_help_text_is_chinese_with_english(name: str) -> None:
    """Each option's and argument's help has Chinese and an English gloss."""
    for action in COMMANDS[name]._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help, f"{name} {action.dest}: no help"
        assert CJK.search(action.help), f"{name} {action.dest}: no Chinese: {action.help}"
        assert ENGLISH.search(action.help), f"{name} {action.dest}: no English: {action.help}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_argparse_headings_are_translated(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help shows 用法 (usage), 选项 (options) and 位置参数, never argparse's bare English."""
    argv = ["--help"] if name == "perfscore" else [name, "--help"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法 (usage): perfscore")
    assert "选项 (options):" in out
    assert not re.search(r"^(usage|options|positional arguments):", out, re.MULTILINE)
    assert "show this help message and exit" not in out.replace("(show this help message", "")
    if COMMANDS[name]._positionals._group_actions and name != "perfscore":
        assert "位置参数 (positional arguments):" in out


def test_shared_options_have_one_name_metavar_and_help() -> None:
    """An option several commands take has the same metavar (and help) in each of them."""
    seen: dict[str, set[tuple[object, object]]] = defaultdict(set)
    for name, parser in COMMANDS.items():
        if name == "perfscore":
            continue
        for action in parser._actions:
            for option in action.option_strings:
                # --format's choices and what -o writes differ by command; their metavars do not.
                own = option in ("--format", "-o", "--output")
                help_text = None if own else action.help
                seen[option].add((action.metavar, help_text))
    differing = {option: found for option, found in seen.items() if len(found) > 1}
    assert not differing


def test_every_input_file_is_called_file() -> None:
    """The positional input of every command that reads one file is FILE."""
    for name, parser in COMMANDS.items():
        for action in parser._actions:
            if action.dest == "file":
                assert action.metavar == "FILE", name


@pytest.mark.parametrize(
    ("argv", "chinese"),
    [
        (["score"], "缺少必需的参数"),
        (["score", "x.txt", "--format", "pdf"], "参数取值无效"),
        (["score", "x.txt", "--bogus"], "无法识别的参数"),
        (["score", "x.txt", "--sheet"], "参数缺少取值"),
        (["score", "x.txt", "--year", "24"], "参数错误 (argument --year: 年度应为四位数字"),
    ],
)
def test_usage_errors_are_chinese_first(
    argv: list[str], chinese: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse's own error messages get a Chinese lead; the exit status is 2."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"错误 (error): {chinese}" in err
    assert err.startswith("用法 (usage): perfscore")


@pytest.mark.parametrize("columns", [150, 120, 100])
def test_score_table_fits_columns(
    columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With COLUMNS set, every line of the score table fits it; no number is split."""
    from perfscore._display import display_width

    monkeypatch.setenv("COLUMNS", str(columns))
    main(["score", "examples/data/tianjin-2024-self-evaluation.txt"])
    out = capsys.readouterr().out
    assert max(display_width(line) for line in out.splitlines()) <= columns
    assert "176875.03" in out  # numbers whole
    assert "93.95" in out


def test_score_table_in_a_pipe_keeps_the_full_layout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without COLUMNS and not on a terminal (a file, a pipe), the full layout is kept."""
    from perfscore._display import display_width

    main(["score", "examples/data/tianjin-2024-self-evaluation.txt"])
    out = capsys.readouterr().out
    assert max(display_width(line) for line in out.splitlines()) > 140


def test_very_narrow_terminal_scrolls_rather_than_split_numbers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 columns the table cannot fit; it stays readable and splits no number."""
    monkeypatch.setenv("COLUMNS", "60")
    main(["score", "examples/data/tianjin-2024-self-evaluation.txt"])
    out = capsys.readouterr().out
    assert "170639.2" in out
    assert "5051.15" in out
