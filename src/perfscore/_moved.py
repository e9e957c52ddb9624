"""Keep an old module path working for one release after a move (no other job)."""

import sys
import warnings
from types import ModuleType


def alias(old: str, moved: ModuleType) -> None:
    """Warn that ``old`` moved, then make ``old`` the very module ``moved``.

    Aliasing the module (not copying its names) keeps identity checks and monkeypatching
    honest: ``perfscore.audit is perfscore.review.audit``.
    """
    warnings.warn(
        f"{old} 已移至 {moved.__name__} ({old} moved to {moved.__name__}; "
        "the old path will be removed in the next release)",
        DeprecationWarning,
        stacklevel=3,
    )
    sys.modules[old] = moved
