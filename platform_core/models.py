"""Imports every model module so that ``Base.metadata`` knows every table (Alembic, tests)."""

from platform_core import audit, jobs  # noqa: F401
from platform_core.auth import models as auth_models  # noqa: F401
