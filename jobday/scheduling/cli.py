"""``flask schedule ...``: run the fair scheduler (with a progress display) and publish it;
pass overdue waiting-list offers on. Thin wrappers that own their transaction."""

from __future__ import annotations

import click

from jobday.web import attempt, cli_refusal


@click.group("schedule")
def schedule_group() -> None:
    """The fair scheduler and the interview waiting lists."""


@schedule_group.command("solve")
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--publish", is_flag=True, help="Book the result and e-mail everyone their schedule.")
@click.option("--time-limit", type=float, default=10.0, show_default=True, help="Seconds for the optimiser.")
@click.option("--fresh", is_flag=True, help="Ignore the interviews locked in the last preview.")
def solve_command(year: int, publish: bool, time_limit: float, fresh: bool) -> None:
    """Run the fair scheduler on an edition and show its preview (and publish it)."""
    from jobday.editions.services import get_edition_by_year
    from jobday.scheduling import planning

    edition = get_edition_by_year(year)
    if edition is None:
        raise click.ClickException(f"No edition for {year}.")
    with attempt(tell=cli_refusal):
        run = planning.start_run(edition, actor=None, keep_locks=not fresh)
    with click.progressbar(length=100, label="Scheduling", show_percent=True) as bar:
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
    click.echo(
        f"Coverage: {stats['coverage']}/{stats['candidates_with_wishes']} candidates with at least one "
        f"interview; wishes met: {stats['wishes_met']}/{stats['wishes']} (weight {stats['weight']}); "
        f"long waits: {stats['long_waits']}; {_distance(stats)}."
    )
    if stats.get("baseline"):
        base = stats["baseline"]
        click.echo(
            f"Greedy baseline: coverage {base['coverage']}, wishes met {base['wishes_met']} "
            f"(weight {base['weight']})."
        )
    if publish:
        with attempt(tell=cli_refusal):
            result = planning.publish_run(run, actor=None)
        click.echo(
            f"Published: {result.booked} interviews booked ({result.skipped} skipped), "
            f"{result.candidates} candidates and {result.companies} companies e-mailed."
        )
    else:
        click.echo(f"Preview saved as run {run.id}; publish it from the organiser page or with --publish.")


@schedule_group.command("expire-offers")
def expire_offers_command() -> None:
    """Pass waiting-list offers past their deadline on to the next in line."""
    from jobday.scheduling.waitlist import expire_slot_offers

    with attempt(tell=cli_refusal):
        expired = expire_slot_offers()
    click.echo(f"{expired} offer(s) expired.")


def _distance(stats: dict) -> str:
    if stats["proven_optimal"]:
        return "optimal (proven)"
    if stats.get("coverage_short"):
        return f"at most {stats['coverage_short']} more candidate(s) could get an interview"
    if stats.get("weight_short") is not None:
        return f"at most {stats['weight_short']} weighted wishes fewer than the best possible"
    return "best found within the time limit"
