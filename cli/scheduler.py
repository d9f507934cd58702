"""`opsta scheduler`: every periodic job (BPMN timers, selfie sweep and purge, silent devices, holidays loaded,
announcements due, push sweep, report files, attendance days for reports)."""
import click


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once and exit.")
@click.pass_obj
def scheduler(obj, once: bool) -> None:
    """Run the periodic jobs; several schedulers may run at once without firing anything twice."""
    import threading

    from engine.directory.profile import local_today
    from engine.face_checks.config import prepare_face_runtime
    from engine.push.queue import push_queue, send_after_commit
    from engine.reports.queue import report_queue
    from engine.scheduler import periodic_jobs, run_forever, run_once
    from engine.schedules.holiday_coverage import years_without_holidays

    prepare_face_runtime(obj.settings)
    with obj.session_factory() as session:
        for year in years_without_holidays(session=session, today=local_today(obj.settings)):
            click.echo(f"warning: no public holidays are loaded for {year}; every holiday would count as a working "
                       f"day. Import them: opsta import holidays FILE.csv|FILE.ics", err=True)
    # Notifications the jobs make (announcements, reminders, device alerts) push when they commit.
    pushes = push_queue(settings=obj.settings, session_factory=obj.session_factory)
    send_after_commit(session_factory=obj.session_factory, queue=pushes)
    # Report jobs the broker never got (it was down) are sent again from here.
    reports = report_queue(settings=obj.settings, session_factory=obj.session_factory)
    jobs = periodic_jobs(settings=obj.settings, session_factory=obj.session_factory, push_queue=pushes,
                         report_queue=reports)
    if once:
        for name, result in run_once(jobs).items():
            click.echo(f"{name}: {result}")
        return
    click.echo("scheduler running: " + ", ".join(f"{j.name} every {j.interval_s:g}s" for j in jobs))
    stop = threading.Event()
    try:
        run_forever(jobs, stop)
    except KeyboardInterrupt:
        stop.set()


COMMANDS = [scheduler]
