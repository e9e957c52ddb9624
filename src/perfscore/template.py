"""Deprecated alias of :mod:`perfscore.review.template`, kept for one release."""

from ._moved import alias
from .review import template

alias(__name__, template)
