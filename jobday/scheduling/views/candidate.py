"""Candidate pages: browse the companies, see their free slots, book, cancel, move, and the
waiting lists (join, see one's place, accept or decline an offer, leave)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select

from jobday.accounts.models import User
from jobday.candidates.models import Registration, RegistrationStatus
from jobday.companies.forms import as_choices
from jobday.companies.models import APPLY_BOOKING, Company, InterviewSlot, InterviewTable, Participation
from jobday.companies.offers import exhibitor_ranker
from jobday.db import utcnow, written_in
from jobday.driver_sql import DriverStatement
from jobday.editions.services import booking_open, current_edition
from jobday.editions.web import edition_or_404
from jobday.errors import DomainError
from jobday.extensions import db
from jobday.formats import fair_zone
from jobday.forms import ActionForm
from jobday.fragments import kept, kept_macro
from jobday.scheduling import availability, queries, waitlist
from jobday.scheduling import booking as bookings
from jobday.scheduling.forms import CompanyFilterForm, MoveForm
from jobday.scheduling.models import APP_ACCEPTED, OFFERED, SlotState
from jobday.scheduling.views.blueprint import (
    bp,
    candidate_required,
    no_edition_yet,
    participation_or_404,
    settle_offers,
)
from jobday.scheduling.views.texts import slot_texts, time_text
from jobday.web import attempt, reads_first, submitted_or_400


@bp.get("/interviews")
@candidate_required
def companies():
    edition = current_edition()
    if edition is None:
        return no_edition_yet(_("Interviews"))
    # An untouched list (every first look at it) has no filter to read: no form to build.
    form = CompanyFilterForm(request.args) if request.args else None
    if form is not None:
        form.validate()
    rows = queries.approved_companies(
        edition.id,
        search=form.q.data or "" if form else "",
        area=form.area.data or "" if form else "",
        contract=form.contract.data or "" if form else "",
        level=form.level.data or "" if form else "",
        now=utcnow(),
        candidate_id=current_user.id,
    )
    rows, reasons = _best_match_first(rows, edition) if form and form.sort.data == "match" else (rows, {})
    return render_template(
        "scheduling/companies.html",
        edition=edition,
        filters=_filters(form),
        rows=rows,
        lines=_company_lines(rows, reasons),
        registered=_REGISTERED.session_scalar(user_id=current_user.id, edition_id=edition.id),
        booking_is_open=booking_open(edition),
    )


# Whether the candidate may book (registered for the edition): a yes or no, not the registration;
# sent to the driver, the status written in.
_REGISTERED = DriverStatement(select(
    select(Registration.id)
    .where(Registration.user_id == bindparam("user_id"), Registration.edition_id == bindparam("edition_id"),
           Registration.status == written_in(RegistrationStatus.REGISTERED))
    .exists()
))


def _best_match_first(rows, edition) -> tuple[list, dict[int, list[str]]]:
    """The companies whose offers fit the candidate's profile first, best first, with their
    reasons (the matching feature's ranker); the others after them, in their order."""
    ranker = exhibitor_ranker()
    if ranker is None or not rows:
        return rows, {}
    by_company = {row.company.id: row for row in rows}
    ranked = ranker(current_user, edition, [(row.company, row.participation) for row in rows])
    return ([by_company[company.id] for (company, _p), _why in ranked],
            {company.id: why for (company, _p), why in ranked if why})


def _filters(form: CompanyFilterForm | None) -> Markup:
    """The filters' HTML. Untouched (``form`` None: no query string, every candidate's first
    look at the list when booking opens) it is the same for everyone reading a language, so it
    is kept once rendered (``fragments.kept``: per language and address root)."""
    if form is not None:
        return Markup(render_template("scheduling/_company_filters.html", form=form))
    return kept(("scheduling/_company_filters.html", "untouched"),
                lambda: render_template("scheduling/_company_filters.html", form=CompanyFilterForm(request.args)))


def _company_lines(rows: list[queries.CompanyRow], reasons: dict[int, list[str]]) -> Markup:
    """The company list (its ``<ul>``), written here: the list shows every exhibitor to every
    candidate, and a line cost some 45 Python calls in the template (an output and an escape
    each of its pieces). A line is kept once written for what it shows (``_line``); one with
    the reader's reasons (best match first) is written each time, as all are while templates
    reload (in development)."""
    parts = _line_parts()
    if reasons or not parts.kept:
        lines = [_written_line(parts, row.participation, row.company.name, row.free_slots, row.booked_by_me,
                               reasons.get(row.company.id)) for row in rows]
    else:
        lines = [_line(parts, row.participation, row.company.name, row.free_slots, row.booked_by_me)
                 for row in rows]
    return Markup(f'\n<ul class="company-list">\n  {"".join(lines)}\n</ul>')


class _LineParts(NamedTuple):
    """What the lines take from the reader's language and address root, the same for every line."""
    language: str
    prefix: Markup  # a company's address, before and after its participation id
    suffix: Markup
    on_application: Markup
    open_booking: Markup
    booked: Markup
    matches: Markup
    kept: bool  # not while templates reload (the pills are a macro's)


_LINE_PARTS: dict[tuple[str, str], _LineParts] = {}


def _line_parts() -> _LineParts:
    """The lines' parts for this request, made once per language and address root (each time
    while templates reload, in development)."""
    key = (str(get_locale()), request.script_root)
    parts = _LINE_PARTS.get(key)
    if parts is None:
        prefix, _marker, suffix = url_for("scheduling.company", participation_id=_URL_MARKER).partition(
            str(_URL_MARKER))
        on_application, open_booking, booked = (
            kept_macro("macros/ui.html", "pill", (text, kind), text, kind)
            for text, kind in ((_("On application"), "warn"), (_("Open booking"), "ok"), (_("Booked"), "ok")))
        parts = _LineParts(key[0], escape(prefix), escape(suffix), on_application, open_booking, booked,
                           escape(_("Matches your profile:")), not current_app.jinja_env.auto_reload)
        if parts.kept and len(_LINE_PARTS) < 64:
            _LINE_PARTS[key] = parts
    return parts


def _written_line(parts: _LineParts, participation: queries.Stand, name: str, free_slots: int,
                  booked_by_me: bool, why: list[str] | None = None) -> str:
    """A company's ``<li>``: its name and link, stand, booking mode, free slots, whether the
    reader booked there, and ``why`` it matches the reader's profile."""
    return _LINE.format(
        parts.prefix, participation.id, parts.suffix, escape(name),
        _stand_html(parts.language, participation.stand) if participation.stand else "",
        parts.on_application if participation.booking_mode == APPLY_BOOKING else parts.open_booking,
        _free_html(parts.language, free_slots), parts.booked if booked_by_me else "",
        f'<p class="reasons">{parts.matches} {Markup(", ").join(why)}</p>' if why else "")


# A line without reasons, kept for all it shows (its arguments): the same for every reader of a
# language who booked there or not, until its count of free slots changes.
_line = lru_cache(maxsize=4096)(_written_line)

_LINE = ('\n  <li>\n    <a href="{}{}{}"><strong>{}</strong></a>\n    {}\n    <br>\n    {}\n    {}\n    {}'
         '\n    {}\n  </li>\n  ')


@lru_cache(maxsize=4096)
def _stand_html(language: str, stand: str) -> Markup:
    """"Stand P1" in ``language`` (the request's)."""
    return Markup('<span class="hint">{}</span>').format(_("Stand %(stand)s", stand=stand))


@lru_cache(maxsize=1024)
def _free_html(language: str, count: int) -> Markup:
    """"3 free slots" in ``language`` (the request's), as a pill."""
    return Markup('<span class="pill pill-{}">{}</span>').format(
        "ok" if count else "muted", ngettext("%(num)d free slot", "%(num)d free slots", count))


def _company_or_404(participation_id: int, edition) -> queries.CompanyHead:
    """An approved company of the edition with the candidate's application and waiting-list
    place there; anything else is a 404 (as ``participation_or_404``)."""
    head = queries.company_head(participation_id, current_user.id, now=utcnow())
    if head is None or head.participation.edition_id != edition.id or not head.participation.is_approved:
        abort(404)
    return head


def _company_page(head: queries.CompanyHead, edition, *, status: int = 200, error: DomainError | None = None):
    now = utcnow()
    participation = head.participation
    day = availability.candidate_day(current_user.id, edition)
    mine = [booking for booking, _company in day.bookings if booking.participation_id == participation.id]
    tables = queries.candidate_grid(participation.id, now=now, candidate_id=current_user.id)
    must_apply = participation.booking_mode == APPLY_BOOKING and head.application_status != APP_ACCEPTED
    free = [view.slot for table in tables for view in table.slots if view.state == SlotState.FREE]
    booking_is_open = booking_open(edition, now)
    can_book = booking_is_open and not must_apply and not mine and not day.full
    clashes = day.clashes(free)
    return render_template(
        "scheduling/company.html",
        edition=edition,
        participation=participation,
        company=head.company,
        grid=_slot_cells(tables, clashes if can_book else {}, can_book, now),
        mine=mine,
        application_status=head.application_status,
        offers=queries.open_offers(participation.company_id),
        must_apply=must_apply,
        any_free=any(slot.starts_at > now for slot in free),
        booking_is_open=booking_is_open,
        can_book=can_book,
        waitlist_is_open=waitlist.waitlist_open(edition, now),
        changes_open=bookings.changes_open(edition, now),
        error=error,
        position=head.waitlist_position,
        day=day,
        clashes=clashes,
    ), status


class SlotCell(NamedTuple):
    """One future slot of a company page, ready to show."""

    state: str  # the slot's state, or "clash"
    time: str
    text: str  # the state's label, why the slot clashes, or the booking button's label
    aria: str = ""  # a bookable slot: its button's label for screen readers
    action: str = ""  # a bookable slot: where its button posts


def _slot_cells(tables, clashes: dict, can_book: bool, now) -> list[tuple[str, list[SlotCell]]]:
    """(table name, cells) of the future slots. Their texts are worked out here rather than by a
    macro, filters and translations per slot in the template (the markup stays there): a
    booking rush shows the same slots thousands of times, so a slot's time and button labels
    are kept across requests (``texts.slot_texts``); what concerns the candidate (the reasons of
    clashes) is worked out per page."""
    language, zone = str(get_locale()), fair_zone().key
    labels: dict = {}
    reasons: dict = {}
    prefix, _marker, suffix = url_for("scheduling.book_slot", slot_id=_URL_MARKER).partition(str(_URL_MARKER))
    grid = []
    for table in tables:
        cells = []
        for view in table.slots:
            slot = view.slot
            if slot.starts_at <= now:
                continue
            time, label, aria = slot_texts(language, zone, slot.starts_at, table.table.name)
            clash = clashes.get(slot.id)
            if clash is not None:
                reason = reasons.get(clash)
                if reason is None:
                    reason = reasons[clash] = _clash_reason(clash, language, zone)
                cells.append(SlotCell("clash", time, reason))
            elif can_book and view.state == SlotState.FREE:
                cells.append(SlotCell(view.state, time, label, aria, f"{prefix}{slot.id}{suffix}"))
            else:
                text = labels.get(view.state)
                if text is None:
                    text = labels[view.state] = view.state.label
                cells.append(SlotCell(view.state, time, text))
        grid.append((table.table.name, cells))
    return grid


_URL_MARKER = 987654321  # a slot id in a URL built once, replaced by each slot's


def _clash_reason(clash: availability.Clash, language: str, zone: str) -> str:
    """As the ``clash_reason`` macro (scheduling/_macros.html) words it for the candidate."""
    time = time_text(language, zone, clash.starts_at)
    if clash.kind == availability.OVERLAP:
        return _("You are at %(company)s at %(time)s", company=clash.company, time=time)
    return _("Too close to your interview at %(company)s (%(time)s)", company=clash.company, time=time)


@bp.get("/interviews/companies/<int:participation_id>")
@candidate_required
def company(participation_id: int):
    edition = edition_or_404()
    head = _company_or_404(participation_id, edition)
    if head.offers_due:  # asked with the company (settle_offers asks again before passing them on)
        settle_offers(edition)
    return _company_page(head, edition)


@bp.post("/interviews/slots/<int:slot_id>/book")
@reads_first
@candidate_required
def book_slot(slot_id: int):
    """The rush path: a refusal answers with a small page (the reason and a way back), not
    the whole company page, so that hundreds of losers cost little."""
    edition_or_404()
    submitted_or_400()
    candidate = db.session.get(User, current_user.id)
    # The login's transaction only read (``reads_first``); SQLite's write lock is held only for the booking.
    with attempt(tell=None, writing=True) as outcome:
        booking_id = bookings.book_slot(candidate, slot_id, actor=candidate).id  # read before the commit expires it
    if outcome.error:
        error = outcome.error
        participation_id = db.session.scalar(
            select(InterviewTable.participation_id)
            .join(InterviewSlot, InterviewSlot.table_id == InterviewTable.id)
            .where(InterviewSlot.id == slot_id)
        )
        if error.status == 404 or participation_id is None:
            abort(404)
        return render_template("scheduling/refused.html", error=error, participation_id=participation_id), (
            error.status
        )
    flash(_("Your interview is booked. We sent you a confirmation."), "success")
    return redirect(url_for("scheduling.agenda", booked=booking_id), code=303)


@bp.post("/interviews/bookings/<int:booking_id>/cancel")
@candidate_required
def cancel_booking(booking_id: int):
    submitted_or_400()
    booking = _my_booking(booking_id)
    with attempt(_("Your interview is cancelled. The slot is free for someone else.")):
        bookings.cancel_booking(booking, actor=current_user)
    return redirect(url_for("scheduling.agenda"), code=303)


@bp.route("/interviews/bookings/<int:booking_id>/move", methods=["GET", "POST"])
@candidate_required
def move_booking(booking_id: int):
    """The company's other free slots as buttons; those that clash with the candidate's other
    interviews are greyed out with the reason."""
    edition = edition_or_404()
    booking = _my_booking(booking_id)
    if not booking.active:
        abort(404)
    free = waitlist.free_future_slot_rows(booking.participation_id, utcnow())
    day = availability.candidate_day(current_user.id, edition, ignore=booking)
    clashes = day.clashes(free)
    status = 200
    if request.method == "POST":  # the page itself needs no form: its token is the request's
        form = MoveForm()
        form.slot_id.choices = as_choices([(slot.id, str(slot.id)) for slot in free])
        if form.validate_on_submit():
            with attempt(_("Your interview has moved. We sent you the new time."), abort_on=(404,)) as outcome:
                bookings.move_booking(booking, form.slot_id.data, actor=current_user)
            if outcome.ok:
                return redirect(url_for("scheduling.agenda"), code=303)
            status = outcome.error.status
        else:
            flash(_("This time is no longer free. Please choose another one."), "error")
            status = 409
    return render_template(
        "scheduling/move.html",
        booking=booking,
        edition=edition,
        company_name=db.session.connection().scalar(_COMPANY_NAME, {"participation_id": booking.participation_id}),
        free=free,
        clashes=clashes,
        groups=_move_cells(free, clashes),
        day=day,
    ), status


# The move page's heading: the company's name only (not its participation and company as ORM objects).
_COMPANY_NAME = (select(Company.name).join(Participation, Participation.company_id == Company.id)
                 .where(Participation.id == bindparam("participation_id")))


class MoveCell(NamedTuple):
    """One free slot of the move page, ready to show."""

    slot_id: int
    clash: bool
    time: str
    text: str  # the button's label, or why the slot clashes
    aria: str = ""


def _move_cells(free: list, clashes: dict) -> list[tuple[str, list[MoveCell]]]:
    """(table name, cells) of the free slots, the tables by name (the slots in time order
    within each), with their texts worked out as for a company page (``_slot_cells``)."""
    language, zone = str(get_locale()), fair_zone().key
    reasons: dict = {}
    groups: dict[str, list[MoveCell]] = {}
    for slot in sorted(free, key=lambda slot: slot.table_name):
        name = slot.table_name
        clash = clashes.get(slot.id)
        if clash is not None:
            reason = reasons.get(clash)
            if reason is None:
                reason = reasons[clash] = _clash_reason(clash, language, zone)
            cell = MoveCell(slot.id, True, time_text(language, zone, slot.starts_at), reason)
        else:
            time, label, aria = slot_texts(language, zone, slot.starts_at, name, True)
            cell = MoveCell(slot.id, False, time, label, aria)
        groups.setdefault(name, []).append(cell)
    return list(groups.items())


def _my_booking(booking_id: int):
    try:
        return bookings.get_booking_for(booking_id, current_user)
    except DomainError:
        abort(404)


# --- waiting lists --------------------------------------------------------------------------


@bp.post("/interviews/companies/<int:participation_id>/waitlist")
@candidate_required
def join_waitlist(participation_id: int):
    edition = edition_or_404()
    participation = participation_or_404(participation_id, edition)
    submitted_or_400()
    with attempt(tell=None) as outcome:
        entry = waitlist.join_waitlist(current_user, participation, actor=current_user)
    if outcome.error:
        return _company_page(_company_or_404(participation_id, edition), edition, status=outcome.error.status,
                             error=outcome.error)
    flash(_("You are number %(position)d on the waiting list.", position=waitlist.position(entry)), "success")
    return redirect(url_for("scheduling.waitlists"), code=303)


@bp.get("/interviews/waitlists")
@candidate_required
def waitlists():
    edition = edition_or_404()
    settle_offers(edition)
    entries = waitlist.entries_of(current_user.id, edition.id)
    rows = waitlist.with_positions(entries)
    return render_template(
        "scheduling/waitlists.html", edition=edition, rows=rows, OFFERED=OFFERED, action_form=ActionForm()
    )


def _my_entry(entry_id: int):
    try:
        return waitlist.get_entry_for(entry_id, current_user)
    except DomainError:
        abort(404)


@bp.post("/interviews/waitlists/<int:entry_id>/accept")
@candidate_required
def accept_offer(entry_id: int):
    entry = _my_entry(entry_id)
    submitted_or_400()
    with attempt(_("The slot is yours. We sent you a confirmation.")) as outcome:
        waitlist.accept_offer(entry, actor=current_user)
    return redirect(url_for("scheduling.waitlists" if outcome.error else "scheduling.agenda"), code=303)


@bp.post("/interviews/waitlists/<int:entry_id>/decline")
@candidate_required
def decline_offer(entry_id: int):
    entry = _my_entry(entry_id)
    submitted_or_400()
    with attempt(_("The slot goes to the next person in line. You keep your place for other slots.")):
        waitlist.decline_offer(entry, actor=current_user)
    return redirect(url_for("scheduling.waitlists"), code=303)


@bp.post("/interviews/waitlists/<int:entry_id>/leave")
@candidate_required
def leave_waitlist(entry_id: int):
    entry = _my_entry(entry_id)
    submitted_or_400()
    with attempt(_("You have left the waiting list.")):
        waitlist.leave_waitlist(entry, actor=current_user)
    return redirect(url_for("scheduling.waitlists"), code=303)
