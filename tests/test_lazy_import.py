"""``import perfscore`` is cheap: public names load their module on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import perfscore


def test_import_loads_no_core_module() -> None:
    """A bare import loads neither the scorer, attrs nor the table and width libraries."""
    code = (
        "import sys, perfscore; "
        "print(sorted(m for m in sys.modules if m.startswith(('perfscore.', 'attr', "
        "'tabulate', 'wcwidth'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_scoring_loads_no_table_library() -> None:
    """Scoring a row does not import tabulate or wcwidth: only errors shown and tables need them."""
    code = (
        "import sys; from decimal import Decimal; "
        "from perfscore import Indicator, score_indicator; "
        "score_indicator(Indicator(row=1, target='≥95%', actual='96%', weight=Decimal(5))); "
        "print(sorted(m for m in sys.modules if m.startswith(('tabulate', 'wcwidth'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", perfscore.__all__)
def test_every_public_name_resolves(name: str) -> None:
    """Each name in __all__ is reachable as an attribute and from its home module."""
    home = importlib.import_module(f"perfscore.{perfscore._HOMES[name]}")
    assert getattr(perfscore, name) is getattr(home, name)


def test_unknown_name_is_an_attribute_error() -> None:
    """A misspelt name raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="score_indicater"):
        perfscore.score_indicater  # type: ignore[attr-defined]  # noqa: B018


def test_dir_lists_the_public_names() -> None:
    """dir(perfscore) offers every public name for completion."""
    assert set(perfscore.__all__) <= set(dir(perfscore))


def test_the_command_line_loads_no_renderer_before_a_command_runs() -> None:
    """``import perfscore.cli`` (what --help needs) imports no renderer, scorer or reader."""
    import subprocess
    import sys

    code = (
        "import sys, perfscore.cli; "
        "print(sorted(m for m in sys.modules if m.startswith("
        "('perfscore.report.', 'perfscore.score.', 'perfscore.readers.', 'perfscore.parse.'))"
        " and m != 'perfscore.report.schemas'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", out
