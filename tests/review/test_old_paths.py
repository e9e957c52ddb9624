"""Tests that the review modules' old import paths still work for one release, with a warning."""

import importlib
import sys

import pytest


@pytest.mark.parametrize("name", ["audit", "lint", "template", "monitor", "findings"])
def test_old_path_warns_and_is_the_moved_module(name: str) -> None:
    """Importing perfscore.<name> warns and gives the very module perfscore.review.<name>."""
    sys.modules.pop(f"perfscore.{name}", None)
    with pytest.warns(DeprecationWarning, match=f"perfscore.review.{name}"):
        old = importlib.import_module(f"perfscore.{name}")
    assert old is importlib.import_module(f"perfscore.review.{name}")
