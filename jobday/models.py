"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

from jobday.accounts.models import User, UserRole  # noqa: F401
from jobday.candidates.models import (  # noqa: F401
    CandidateContractType, CandidateJobArea, CandidateLanguage, CandidateProfile, Consent, Registration)
from jobday.companies.models import (  # noqa: F401
    Company, CompanyMember, InterviewSlot, InterviewTable, Invitation, JobOffer, Participation, TableOpening)
from jobday.editions.models import Edition  # noqa: F401
from jobday.mail.models import OutboundEmail  # noqa: F401
from jobday.jobs.models import Job  # noqa: F401
from jobday.badges.models import Badge, PrintRun  # noqa: F401
from jobday.scheduling.models import (  # noqa: F401
    Application, Availability, Booking, CalendarFeed, InterviewPolicy, ScheduleAssignment, ScheduleRun,
    Shortlist, WaitlistEntry, Wish)
