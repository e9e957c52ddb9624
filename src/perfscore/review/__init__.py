"""Review tools: check a document or project and say what a finance officer should look at.

``audit`` re-checks the arithmetic of a published self-evaluation, ``lint`` checks targets
before the year starts, ``monitor`` lights the mid-year traffic lights, ``template`` writes
the blank form, and ``findings`` is the record they all return.  This package may import the
core (documents, indicators, errors, rollup, scheme, scoring, targets, units, values) and
readers; it never imports ``report`` or ``cli``.
"""
