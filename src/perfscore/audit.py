"""Deprecated alias of :mod:`perfscore.review.audit`, kept for one release."""

from ._moved import alias
from .review import audit

alias(__name__, audit)
