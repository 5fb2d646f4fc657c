"""The access matrix: for every route of the application (endpoint and method), who may use
it and what everyone else gets. ``test_access_matrix`` fails when a route of ``app.url_map``
is missing here, so a new route cannot ship without this decision.

The policy the table encodes (and the tests check):
- anonymous visitors (and gate devices, outside the check-in API) are sent to the login page
  (302); under ``/api/`` they get a 401 JSON answer;
- a logged-in user whose role does not fit gets 403 (``role_required``);
- a route that serves one person's or one company's object answers 404 to everyone else,
  and an object of another candidate or company (``foreign``) is "not found" (404) too;
- "admin" is the organiser and may do everything door staff may do; "staff" is door staff
  only (no back office); a recruiter belongs to one company; only its administrators
  ("company_admin") manage the team.

One line per route: ``r("METHOD endpoint", who may use it, what logged-in others get, ...)``.
``args`` name the world's objects the URL is built with (see ``matrix_world.build_world``):
the allowed roles' own objects. ``foreign`` names the same kind of object belonging to the
other candidate or company: the allowed candidates and recruiters must get 404 there.
``note`` says why when the line alone does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ANONYMOUS, DEVICE = "anonymous", "device"
CANDIDATE, RECRUITER, COMPANY_ADMIN, STAFF, ADMIN = "candidate", "recruiter", "company_admin", "staff", "admin"
ROLES = (ANONYMOUS, DEVICE, CANDIDATE, RECRUITER, COMPANY_ADMIN, STAFF, ADMIN)
OWNER_ROLES = frozenset({CANDIDATE, RECRUITER, COMPANY_ADMIN})
SESSION_ROLES = (CANDIDATE, COMPANY_ADMIN, RECRUITER, STAFF, ADMIN)  # in the order a walk picks one

LOGGED_IN = frozenset({CANDIDATE, RECRUITER, COMPANY_ADMIN, STAFF, ADMIN})
PUBLIC = LOGGED_IN | {ANONYMOUS, DEVICE}
CANDIDATES = frozenset({CANDIDATE})
RECRUITERS = frozenset({RECRUITER, COMPANY_ADMIN})
COMPANY_ADMINS = frozenset({COMPANY_ADMIN})
DOOR = frozenset({STAFF, ADMIN})
ORGANISERS = frozenset({ADMIN})

ALLOWED = "allowed"  # any answer but 401, 403, 404, 405 and 5xx; a 3xx not to the login page
LOGIN = "login"  # 302 to the login page, or 401 JSON under /api/
NOT_FOUND, FORBIDDEN = 404, 403

# How a state-changing route is protected against cross-site requests.
CSRF_FORM = "form"  # CSRFProtect: the token in the form (or the X-CSRFToken header)
CSRF_SESSION_OR_DEVICE = "session-or-device"  # the check-in API: a staff session needs X-CSRFToken;
# a gate device's Bearer token is exempt by design (no cookie, so no cross-site request can carry it)


@dataclass(frozen=True)
class Access:
    endpoint: str
    method: str
    allow: frozenset[str]
    others: int = FORBIDDEN
    args: Mapping[str, str] = field(default_factory=dict)
    foreign: Mapping[str, str] | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, str] = field(default_factory=dict)
    api: bool = False
    csrf: str = CSRF_FORM
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.method} {self.endpoint}"

    @property
    def changes_state(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    def expected(self, role: str) -> int | str:
        if role in self.allow:
            return ALLOWED
        if role in (ANONYMOUS, DEVICE):
            return LOGIN
        return self.others

    @property
    def acting_role(self) -> str:
        """A logged-in user the route lets in, for walks that need one."""
        return next(role for role in SESSION_ROLES if role in self.allow)

    @property
    def foreign_roles(self) -> frozenset[str]:
        """The roles that own objects of this kind: they must not reach another's."""
        return self.allow & OWNER_ROLES if self.foreign else frozenset()


def r(spec: str, allow: Iterable[str], others: int = FORBIDDEN, **fields) -> Access:
    method, endpoint = spec.split()
    return Access(endpoint=endpoint, method=method, allow=frozenset(allow), others=others, **fields)


def _api(spec: str, **fields) -> Access:
    """The check-in API: door staff (session) and gate devices (Bearer token)."""
    csrf = CSRF_SESSION_OR_DEVICE if spec.startswith("POST") else CSRF_FORM
    return r(spec, DOOR | {DEVICE}, api=True, csrf=csrf, **fields)


YEAR = {"year": "year"}
AT_X = {"participation_id": "participation_x"}
INVITE = {"email": "colleague@x.example"}
PENDING_COMPANY = {"participation_id": "participation_pending"}  # not approved: not shown to candidates
LEAD_X, LEAD_Y = {"lead_id": "lead_x"}, {"lead_id": "lead_y"}  # X's lead on candidate A, Y's on B

MATRIX: tuple[Access, ...] = (
    # --- main, static -----------------------------------------------------------------------------------
    r("GET main.index", PUBLIC),
    r("POST main.set_language", PUBLIC),
    r("GET main.healthz", PUBLIC),
    r("GET main.livez", PUBLIC),
    r("GET static", PUBLIC, args={"filename": "static_file"}),
    # --- accounts -------------------------------------------------------------------------------------------
    r("GET accounts.login", PUBLIC),
    r("POST accounts.login", PUBLIC),
    r("POST accounts.logout", PUBLIC),
    r("GET accounts.signup", PUBLIC),
    r("POST accounts.signup", PUBLIC),
    r("GET accounts.confirm_email", PUBLIC, args={"token": "bad_token"}),
    r("GET accounts.confirm_email_change", PUBLIC, args={"token": "bad_token"}),
    r("POST accounts.resend_confirmation", LOGGED_IN),
    r("GET accounts.check_mailbox", PUBLIC, note="without a pending sign-up: back to the sign-up form"),
    r("POST accounts.resend_signup_link", PUBLIC, note="acts only on the sign-up this browser made"),
    r("POST accounts.correct_signup_email", PUBLIC, note="acts only on the sign-up this browser made"),
    r("GET accounts.request_reset", PUBLIC),
    r("POST accounts.request_reset", PUBLIC),
    r("GET accounts.reset_password", PUBLIC, args={"token": "bad_token"}),
    r("POST accounts.reset_password", PUBLIC, args={"token": "bad_token"}),
    r("GET accounts.settings", LOGGED_IN),
    r("POST accounts.change_password", LOGGED_IN),
    r("POST accounts.change_email", LOGGED_IN),
    r("GET accounts.confirm_password", LOGGED_IN),
    r("POST accounts.confirm_password", LOGGED_IN),
    # --- candidates -----------------------------------------------------------------------------------------
    r("GET candidates.edition_page", PUBLIC, args=YEAR),
    r("GET candidates.signup", PUBLIC, args=YEAR),
    r("POST candidates.signup", PUBLIC, args=YEAR),
    r("GET candidates.confirm_signup", PUBLIC, args={"year": "year", "token": "bad_token"}),
    r("GET candidates.register", CANDIDATES, args=YEAR),
    r("POST candidates.register", CANDIDATES, args=YEAR),
    r("GET candidates.offer", CANDIDATES, args=YEAR),
    r("POST candidates.offer", CANDIDATES, args=YEAR),
    r("GET candidates.withdraw", CANDIDATES, args=YEAR),
    r("POST candidates.withdraw", CANDIDATES, args=YEAR),
    r("GET candidates.home", CANDIDATES),
    r("GET candidates.profile", CANDIDATES),
    r("POST candidates.profile", CANDIDATES),
    r("POST candidates.upload_cv", CANDIDATES),
    r("POST candidates.delete_cv", CANDIDATES),
    r("GET candidates.my_cv", CANDIDATES),
    r("GET candidates.download_cv", CANDIDATES | ORGANISERS, args={"user_id": "candidate_a"},
      foreign={"user_id": "candidate_b"}),
    r("GET candidates.candidate_profile", CANDIDATES | ORGANISERS, args={"user_id": "candidate_a"},
      foreign={"user_id": "candidate_b"}),
    r("GET candidates.consents", CANDIDATES),
    r("POST candidates.consents", CANDIDATES),
    r("GET candidates.privacy", CANDIDATES),
    r("POST candidates.download_data", CANDIDATES),
    r("POST candidates.delete_account", CANDIDATES),
    # --- companies: public pages, registration, joining -----------------------------------------------------
    r("GET companies.exhibitors", PUBLIC),
    r("GET companies.public_offers", PUBLIC),
    r("GET companies.public_offer", PUBLIC, args={"offer_id": "offer_x"}),
    r("GET companies.logo", PUBLIC, args={"company_id": "company_x"}, foreign={"company_id": "company_pending"},
      note="public for approved exhibitors; a pending company's logo is its team's and the organisers'"),
    r("GET companies.register", PUBLIC),
    r("POST companies.register", PUBLIC),
    r("GET companies.join", PUBLIC, args={"token": "invitation_token_x"}),
    r("POST companies.join", PUBLIC, args={"token": "invitation_token_x"}),
    # --- companies: a recruiter's own company ---------------------------------------------------------------
    r("GET companies.home", RECRUITERS),
    r("GET companies.edit_profile", RECRUITERS),
    r("POST companies.edit_profile", RECRUITERS),
    r("POST companies.upload_logo", RECRUITERS),
    r("POST companies.apply", RECRUITERS),
    r("POST companies.email_settings", RECRUITERS),
    r("GET companies.new_offer", RECRUITERS),
    r("POST companies.new_offer", RECRUITERS),
    r("GET companies.edit_offer", RECRUITERS, args={"offer_id": "offer_x"}, foreign={"offer_id": "offer_y"}),
    r("POST companies.edit_offer", RECRUITERS, args={"offer_id": "offer_x"}, foreign={"offer_id": "offer_y"}),
    r("POST companies.close_offer", RECRUITERS, args={"offer_id": "offer_x"}, foreign={"offer_id": "offer_y"}),
    r("POST companies.reopen_offer", RECRUITERS, args={"offer_id": "offer_x"}, foreign={"offer_id": "offer_y"}),
    r("GET companies.plan_page", RECRUITERS),
    r("POST companies.save_plan_settings", RECRUITERS),
    r("POST companies.add_table", RECRUITERS),
    r("POST companies.update_table", RECRUITERS, args={"table_id": "table_x"}, foreign={"table_id": "table_y"}),
    r("POST companies.delete_table", RECRUITERS, args={"table_id": "table_x"}, foreign={"table_id": "table_y"}),
    r("GET companies.team_page", RECRUITERS),
    r("POST companies.invite", COMPANY_ADMINS, data=INVITE),
    r("POST companies.remove_member", COMPANY_ADMINS, args={"member_id": "member_x"},
      foreign={"member_id": "member_y"}),
    r("POST companies.hand_over_admin", COMPANY_ADMINS, args={"member_id": "member_x"},
      foreign={"member_id": "member_y"}),
    r("POST companies.cancel_invitation", COMPANY_ADMINS, args={"invitation_id": "invitation_x"},
      foreign={"invitation_id": "invitation_y"}),
    r("GET company_exports.interviews", RECRUITERS),
    r("GET company_exports.interviews_xlsx", RECRUITERS),
    r("GET company_exports.profiles", RECRUITERS),
    r("GET company_exports.profiles_xlsx", RECRUITERS),
    # --- companies: the organiser's side --------------------------------------------------------------------
    r("GET companies.staff_list", ORGANISERS),
    r("GET companies.staff_detail", ORGANISERS, args={"participation_id": "participation_x"}),
    r("POST companies.staff_decide", ORGANISERS, args={"participation_id": "participation_x"}),
    r("POST companies.staff_assign_stand", ORGANISERS, args={"participation_id": "participation_x"}),
    # --- scheduling: candidates -----------------------------------------------------------------------------
    r("GET scheduling.companies", CANDIDATES),
    r("GET scheduling.company", CANDIDATES, args=AT_X, foreign=PENDING_COMPANY),
    r("POST scheduling.book_slot", CANDIDATES, args={"slot_id": "free_slot_x"}),
    r("POST scheduling.cancel_booking", CANDIDATES, args={"booking_id": "booking_a"},
      foreign={"booking_id": "booking_b"}),
    r("GET scheduling.move_booking", CANDIDATES, args={"booking_id": "booking_a"},
      foreign={"booking_id": "booking_b"}),
    r("POST scheduling.move_booking", CANDIDATES, args={"booking_id": "booking_a"},
      foreign={"booking_id": "booking_b"}),
    r("POST scheduling.join_waitlist", CANDIDATES, args=AT_X, foreign=PENDING_COMPANY),
    r("GET scheduling.waitlists", CANDIDATES),
    r("POST scheduling.accept_offer", CANDIDATES, args={"entry_id": "waitlist_a"},
      foreign={"entry_id": "waitlist_b"}),
    r("POST scheduling.decline_offer", CANDIDATES, args={"entry_id": "waitlist_a"},
      foreign={"entry_id": "waitlist_b"}),
    r("POST scheduling.leave_waitlist", CANDIDATES, args={"entry_id": "waitlist_a"},
      foreign={"entry_id": "waitlist_b"}),
    r("GET scheduling.apply", CANDIDATES, args=AT_X, foreign=PENDING_COMPANY),
    r("POST scheduling.apply", CANDIDATES, args=AT_X, foreign=PENDING_COMPANY),
    r("GET scheduling.applications", CANDIDATES),
    r("POST scheduling.confirm_proposal", CANDIDATES, args={"application_id": "application_a"},
      foreign={"application_id": "application_b"}),
    r("GET scheduling.wishes", CANDIDATES),
    r("POST scheduling.wishes", CANDIDATES),
    r("GET scheduling.agenda", CANDIDATES),
    r("GET scheduling.agenda_pdf", CANDIDATES),
    r("GET scheduling.agenda_ics", CANDIDATES),
    # --- scheduling: calendars (a private feed: the token in the URL is the key) ----------------------------
    r("POST scheduling.renew_feed", LOGGED_IN),
    r("POST scheduling.revoke_feed", LOGGED_IN),
    r("GET scheduling.feed", PUBLIC, args={"token": "feed_token_a"}),
    # --- scheduling: recruiters -----------------------------------------------------------------------------
    r("GET scheduling.applicants", RECRUITERS),
    r("GET scheduling.applicant", RECRUITERS, args={"application_id": "application_a"},
      foreign={"application_id": "application_b"}),
    r("POST scheduling.applicant", RECRUITERS, args={"application_id": "application_a"},
      foreign={"application_id": "application_b"}),
    r("POST scheduling.shortlist", RECRUITERS, args={"candidate_id": "candidate_a"},
      foreign={"candidate_id": "candidate_b"}, note="B applied to Y only: unknown to X"),
    r("GET scheduling.candidate_cv", RECRUITERS, args={"candidate_id": "candidate_a"},
      foreign={"candidate_id": "candidate_b"}, note="B shares only with the companies B applied to (Y)"),
    r("GET scheduling.day", RECRUITERS),
    r("POST scheduling.mark_outcome", RECRUITERS, args={"booking_id": "booking_a"},
      foreign={"booking_id": "booking_b"}),
    r("POST scheduling.release", RECRUITERS, args={"booking_id": "booking_a"}, foreign={"booking_id": "booking_b"}),
    r("GET scheduling.company_ics", RECRUITERS),
    r("POST scheduling.interview_limit", RECRUITERS),
    # --- scheduling: organisers -----------------------------------------------------------------------------
    r("GET scheduling.grid", ORGANISERS),
    r("GET scheduling.export_interviews", ORGANISERS),
    r("GET scheduling.scheduler", ORGANISERS),
    r("POST scheduling.run_scheduler", ORGANISERS),
    r("POST scheduling.toggle_lock", ORGANISERS, args={"run_id": "run", "assignment_id": "assignment"}),
    r("POST scheduling.publish", ORGANISERS, args={"run_id": "run"}),
    r("POST scheduling.publish_test", ORGANISERS, args={"run_id": "run"}),
    # --- leads: the stand, the company's leads, matching candidates -----------------------------------------
    r("GET leads.stand", RECRUITERS),
    r("GET leads.service_worker", PUBLIC),
    r("GET leads.snapshot", RECRUITERS, note="names only, keyed by a hash of each badge code"),
    r("POST leads.scan", RECRUITERS),
    r("POST leads.sync", RECRUITERS),
    r("GET leads.leads", RECRUITERS),
    r("GET leads.lead", RECRUITERS, args=LEAD_X, foreign=LEAD_Y),
    r("POST leads.lead", RECRUITERS, args=LEAD_X, foreign=LEAD_Y),
    r("GET leads.lead_cv", RECRUITERS, args=LEAD_X, foreign=LEAD_Y, note="A shares with every exhibitor"),
    r("POST leads.ask_to_share", RECRUITERS, args=LEAD_X, foreign=LEAD_Y),
    r("POST leads.add_tag", RECRUITERS, data={"name": "Prioritaire"}),
    r("POST leads.delete_tag", RECRUITERS, args={"tag_id": "tag_x"}, foreign={"tag_id": "tag_y"}),
    r("POST leads.invite", RECRUITERS, args={"candidate_id": "candidate_a"}, foreign={"candidate_id": "candidate_b"},
      data={"invite-kind": "apply"}, note="A shares with every exhibitor; B shares only with Y, where B applied"),
    r("GET leads.matches", RECRUITERS),
    r("GET company_exports.leads_csv", RECRUITERS),
    r("GET company_exports.leads_xlsx", RECRUITERS),
    # --- leads: the candidate's side (a lead on A held by X, on B held by Y) ---------------------------------
    r("POST leads.withdraw_access", CANDIDATES, args=LEAD_X, foreign=LEAD_Y),
    r("POST leads.restore_access", CANDIDATES, args=LEAD_X, foreign=LEAD_Y),
    r("POST leads.accept_invitation", CANDIDATES, args={"invitation_id": "lead_invitation_a"},
      foreign={"invitation_id": "lead_invitation_b"}),
    r("POST leads.decline_invitation", CANDIDATES, args={"invitation_id": "lead_invitation_a"},
      foreign={"invitation_id": "lead_invitation_b"}),
    # --- badges ---------------------------------------------------------------------------------------------
    r("GET badges.my_badge", LOGGED_IN),
    r("GET badges.download", CANDIDATES | ORGANISERS, NOT_FOUND, args={"badge_id": "badge_a"},
      foreign={"badge_id": "badge_b"}, note="a badge is its holder's (and the organisers')"),
    r("GET badges.print_page", ORGANISERS),
    r("GET badges.badge_list", ORGANISERS),
    r("GET badges.test_page", ORGANISERS),
    r("POST badges.start_print", ORGANISERS),
    r("POST badges.reissue", ORGANISERS, args={"badge_id": "badge_a"}),
    r("POST badges.revoke", ORGANISERS, args={"badge_id": "badge_a"}),
    # --- the door -------------------------------------------------------------------------------------------
    r("GET checkin.door", DOOR),
    r("GET checkin.service_worker", PUBLIC),
    r("GET checkin.search", DOOR, query={"q": "Alice"}),
    r("GET checkin.walk_in", DOOR),
    r("POST checkin.walk_in", DOOR),
    r("GET checkin.walk_in_badge", DOOR, args={"badge_id": "badge_a"},
      note="door staff print any active badge of the current edition"),
    r("GET checkin.devices", ORGANISERS),
    r("POST checkin.devices", ORGANISERS),
    r("POST checkin.revoke", ORGANISERS, args={"device_id": "device"}),
    r("GET checkin.arrivals", ORGANISERS),
    r("GET checkin.arrivals_figures", ORGANISERS),
    _api("POST checkin.checkin"),
    _api("POST checkin.sync"),
    _api("GET checkin.snapshot"),
    r("GET checkin.openapi", PUBLIC, api=True),
    # --- jobs (a job is its starter's, and the organisers'; candidate A stands for any starter) -------------
    r("GET jobs.show", CANDIDATES | ORGANISERS, NOT_FOUND, args={"job_id": "job_a"}, foreign={"job_id": "job_b"}),
    r("GET jobs.status", CANDIDATES | ORGANISERS, NOT_FOUND, args={"job_id": "job_a"}, foreign={"job_id": "job_b"}),
    r("GET jobs.download", CANDIDATES | ORGANISERS, NOT_FOUND, args={"job_id": "job_a"},
      foreign={"job_id": "job_b"}),
    r("POST jobs.retry", CANDIDATES | ORGANISERS, NOT_FOUND, args={"job_id": "job_a"}, foreign={"job_id": "job_b"}),
    # --- the back office (organisers only) ------------------------------------------------------------------
    r("GET staff.dashboard", ORGANISERS),
    r("GET staff.people", ORGANISERS),
    r("GET staff.person", ORGANISERS, args={"user_id": "candidate_a"}),
    r("POST staff.change_roles", ORGANISERS, args={"user_id": "candidate_a"}),
    r("POST staff.resend", ORGANISERS, args={"user_id": "candidate_a"}),
    r("POST staff.issue_badge", ORGANISERS, args={"user_id": "candidate_a"}),
    r("POST staff.reissue", ORGANISERS, args={"user_id": "candidate_a", "badge_id": "badge_a"}),
    r("POST staff.withdraw", ORGANISERS, args={"user_id": "candidate_a", "edition_id": "edition"}),
    r("GET staff.editions", ORGANISERS),
    r("GET staff.new_edition", ORGANISERS),
    r("POST staff.new_edition", ORGANISERS),
    r("GET staff.edit_edition", ORGANISERS, args=YEAR),
    r("POST staff.edit_edition", ORGANISERS, args=YEAR),
    r("GET staff.clone_edition", ORGANISERS, args=YEAR),
    r("POST staff.clone_edition", ORGANISERS, args=YEAR),
    r("POST staff.set_window", ORGANISERS, args={"year": "year", "window": "window", "action": "window_action"}),
    r("GET staff.exports", ORGANISERS),
    r("GET staff.export_csv", ORGANISERS, args={"key": "export_key"}),
    r("POST staff.export_xlsx", ORGANISERS, args={"key": "export_key"}),
    r("POST staff.door_list", ORGANISERS),
    r("GET staff.campaigns", ORGANISERS),
    r("POST staff.create_campaign", ORGANISERS),
    r("GET staff.campaign", ORGANISERS, args={"campaign_id": "campaign"}),
    r("POST staff.send_campaign", ORGANISERS, args={"campaign_id": "campaign"}),
    r("POST staff.test_campaign", ORGANISERS, args={"campaign_id": "campaign"}),
    r("GET staff.audit", ORGANISERS),
    r("GET staff.retention", ORGANISERS),
    r("GET staff.retention_export", ORGANISERS),
    r("POST staff.make_backup", ORGANISERS),
)

BY_KEY: dict[str, Access] = {access.key: access for access in MATRIX}


def routes_of(app) -> set[str]:
    """``METHOD endpoint`` for every route of the application (HEAD and OPTIONS aside)."""
    return {f"{method} {rule.endpoint}" for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}
