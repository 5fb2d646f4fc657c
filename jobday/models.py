"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

import jobday.accounts.models  # noqa: F401
import jobday.badges.models  # noqa: F401
import jobday.candidates.models  # noqa: F401
import jobday.change_stamps  # noqa: F401
import jobday.checkin.models  # noqa: F401
import jobday.companies.models  # noqa: F401
import jobday.editions.models  # noqa: F401
import jobday.jobs.models  # noqa: F401
import jobday.leads.models  # noqa: F401
import jobday.mail.models  # noqa: F401
import jobday.scheduling.models  # noqa: F401
import jobday.staff.models  # noqa: F401
import jobday.storage  # noqa: F401
