"""Signals that lower features send and higher ones (the back office's audit log) receive.

They keep the dependency rules: scheduling and the door announce a sensitive action without
importing the back office. Receivers run in the sender's transaction.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the app; kwargs: viewer (User), candidate_id (int), company_id (int)
cv_viewed = _signals.signal("cv-viewed")
# sender: the app; kwargs: actor (User), scan_id (int), badge_id (int | None), reason (str)
scan_forced = _signals.signal("scan-forced")
# sender: the app; kwargs: actor (User), participation_id (int), approved (bool)
participation_decided = _signals.signal("participation-decided")
# sender: the app; kwargs: actor (User | None), run_id (int), booked (int), skipped (int)
schedule_published = _signals.signal("schedule-published")
# sender: the app; kwargs: member (CompanyMember): a recruiter joined a company
company_member_joined = _signals.signal("company-member-joined")
