"""Shared pytest setup: make tests/ importable for the seed and strategy helpers."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
