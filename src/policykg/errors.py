"""The public name of policykg's errors: everything in :mod:`policykg.core.errors`.

Library code imports :mod:`policykg.core.errors`; users may keep writing
``from policykg.errors import PolicyKGError``.
"""

from policykg.core.errors import *  # noqa: F403
from policykg.core.errors import __all__ as __all__
