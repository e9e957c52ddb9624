"""Shared pytest setup: importable helpers, and Hypothesis settings that suit CI."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

# No per-example deadline: CI machines are shared and timing is not what these
# properties are about (speed lives in benchmarks/).
settings.register_profile("perfscore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("perfscore")
