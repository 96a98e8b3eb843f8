"""Imports every model module so that ``Base.metadata`` knows every table (Alembic, tests).

Alembic's environment imports this; it is the one place that lists the model modules of
every package, which is why it may name designer and runtime.
"""

import designer.models  # noqa: F401
import runtime.calendars
import runtime.models
import runtime.outbox
import runtime.saved_filters  # noqa: F401
from platform_core import audit, jobs  # noqa: F401
from platform_core.auth import models as auth_models  # noqa: F401
