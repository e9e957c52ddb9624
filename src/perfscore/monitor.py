"""Deprecated alias of :mod:`perfscore.review.monitor`, kept for one release."""

from ._moved import alias
from .review import monitor

alias(__name__, monitor)
