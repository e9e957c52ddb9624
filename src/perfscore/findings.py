"""Deprecated alias of :mod:`perfscore.review.findings`, kept for one release."""

from ._moved import alias
from .review import findings

alias(__name__, findings)
