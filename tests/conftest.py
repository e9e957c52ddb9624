"""Shared pytest setup: importable helpers, and Hypothesis settings that suit CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

# No per-example deadline: CI machines are shared and timing is not what these
# properties are about (speed lives in benchmarks/).  Under CI the examples are
# derandomized so that a run is reproducible; locally each run explores new
# ones, and HYPOTHESIS_PROFILE=thorough explores many more.
settings.register_profile(
    "perfscore",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.register_profile("thorough", settings.get_profile("perfscore"), max_examples=3000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "perfscore"))


@pytest.fixture(autouse=True)
def _full_width_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render text tables at the file layout unless a test sets COLUMNS itself."""
    monkeypatch.delenv("COLUMNS", raising=False)
