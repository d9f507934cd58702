"""`opsta demo`: seed the fictional demo organisation."""
import click

from engine.migrate import upgrade_database


def print_demo_accounts(settings, people, url: str = "http://127.0.0.1:8000") -> None:
    from engine.demo.requests import DEMO_DEVICE_SN

    click.echo("Demo accounts (password: value of OPSTA_DEMO_PASSWORD, default 'demo'):")
    for person in people:
        roles = ", ".join(person.roles) or "employee"
        click.echo(f"  {person.username:<13} {person.code:<10} {person.name_en:<22} {roles}")
    click.echo("The supervisor has three requests to approve (GET /api/tasks). A face terminal is registered;")
    click.echo(f"  play one with: opsta device simulate --url {url} --sn {DEMO_DEVICE_SN} --pins 100059150")
    if settings.selfie_required:
        click.echo("Phone punches need a selfie (OPSTA_PHONE_PUNCH_SELFIE=required); set a profile photo first, "
                   "or start with OPSTA_PHONE_PUNCH_SELFIE=optional.")


def ensure_demo(obj, url: str = "http://127.0.0.1:8000") -> bool:
    """Migrate and seed the demo data unless the database already holds people. True if seeded now."""
    from engine.demo.organisation import DEMO_PEOPLE, demo_already_seeded, seed_demo

    upgrade_database(obj.settings.database_url)
    with obj.session_factory() as session:
        if demo_already_seeded(session):
            print_demo_accounts(obj.settings, DEMO_PEOPLE, url)
            return False
        people = seed_demo(session=session, settings=obj.settings)
    print_demo_accounts(obj.settings, people, url)
    return True


@click.command("demo")
@click.pass_obj
def demo(obj) -> None:
    """Create the demo organisation (does nothing if the database already has employees)."""
    if not ensure_demo(obj):
        click.echo("the database already holds employees; demo data left as it is")


COMMANDS = [demo]
