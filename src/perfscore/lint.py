"""Deprecated alias of :mod:`perfscore.review.lint`, kept for one release."""

from ._moved import alias
from .review import lint

alias(__name__, lint)
