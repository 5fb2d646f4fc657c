"""``flask schedule ...``: run the fair scheduler (with a progress display) and publish it;
pass overdue waiting-list offers on. Thin wrappers that own their transaction."""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from jobday.web import attempt, cli_refusal


@click.group("schedule")
def schedule_group() -> None:
    """The fair scheduler and the interview waiting lists."""


@schedule_group.command("solve")
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--publish", is_flag=True, help="Book the result and e-mail everyone their schedule.")
@click.option("--time-limit", type=float, default=10.0, show_default=True, help="Seconds for the optimiser.")
@click.option("--fresh", is_flag=True, help="Ignore the interviews locked in the last preview.")
@click.option("--matching", is_flag=True,
              help="Suggest interviews to candidates without wishes from their profile (below any wish).")
def solve_command(year: int, publish: bool, time_limit: float, fresh: bool, matching: bool) -> None:
    """Run the fair scheduler on an edition and show its preview (and publish it)."""
    from jobday.editions.services import get_edition_by_year
    from jobday.scheduling import planning

    edition = get_edition_by_year(year)
    if edition is None:
        raise click.ClickException(_("No edition in %(year)d.", year=year))
    with attempt(tell=cli_refusal):
        run = planning.start_run(edition, actor=None, keep_locks=not fresh, matching=matching)
    with click.progressbar(length=100, label=_("Scheduling"), show_percent=True) as bar:
        seen = [0]

        def progress(phase: str, fraction: float) -> None:
            value = int(fraction * 100)
            if value > seen[0]:
                bar.update(value - seen[0])
                seen[0] = value
            bar.label = f"Scheduling ({phase})"

        with attempt(tell=cli_refusal):
            planning.execute_run(run, progress=progress, time_limit=time_limit)
    stats = run.stats
    click.echo(_("Coverage: %(covered)d of %(candidates)d candidates with wishes have at least one interview; "
                 "wishes met: %(met)d of %(wishes)d (weight %(weight)s); long waits: %(waits)d; %(distance)s.",
                 covered=stats["coverage"], candidates=stats["candidates_with_wishes"], met=stats["wishes_met"],
                 wishes=stats["wishes"], weight=stats["weight"], waits=stats["long_waits"],
                 distance=_distance(stats)))
    if stats.get("matching"):
        click.echo(ngettext("%(num)d interview from matching (a candidate without wishes).",
                            "%(num)d interviews from matching (candidates without wishes).", stats["from_matching"]))
    if stats.get("baseline"):
        base = stats["baseline"]
        click.echo(_("Greedy baseline: coverage %(covered)d, wishes met %(met)d (weight %(weight)s).",
                     covered=base["coverage"], met=base["wishes_met"], weight=base["weight"]))
    if publish:
        with attempt(tell=cli_refusal):
            result = planning.publish_run(run, actor=None)
        click.echo(_("Published: %(booked)s (%(skipped)d left out); e-mailed: %(candidates)s and %(companies)s.",
                     booked=ngettext("%(num)d interview booked", "%(num)d interviews booked", result.booked),
                     skipped=result.skipped,
                     candidates=ngettext("%(num)d candidate", "%(num)d candidates", result.candidates),
                     companies=ngettext("%(num)d company", "%(num)d companies", result.companies)))
    else:
        click.echo(_("Preview saved as run %(id)d; publish it from the organiser page or with --publish.", id=run.id))


@schedule_group.command("expire-offers")
def expire_offers_command() -> None:
    """Pass waiting-list offers past their deadline on to the next in line."""
    from jobday.scheduling.waitlist import expire_slot_offers

    with attempt(tell=cli_refusal):
        expired = expire_slot_offers()
    click.echo(ngettext("%(num)d offer expired.", "%(num)d offers expired.", expired))


def _distance(stats: dict) -> str:
    if stats["proven_optimal"]:
        return _("optimal (proven)")
    if stats.get("coverage_short"):
        return ngettext("at most %(num)d more candidate could get an interview",
                        "at most %(num)d more candidates could get an interview", stats["coverage_short"])
    if stats.get("weight_short") is not None:
        return ngettext("at most %(num)d weighted wish fewer than the best possible",
                        "at most %(num)d weighted wishes fewer than the best possible", stats["weight_short"])
    return _("best found within the time limit")
