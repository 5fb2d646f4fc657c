"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

from jobday.accounts.models import User, UserRole  # noqa: F401
from jobday.editions.models import Edition  # noqa: F401
from jobday.mail.models import OutboundEmail  # noqa: F401
