"""`flask portal …`: the commands that cron, a worker or a person at the console run."""
import time

import click
from flask import current_app
from flask_babel import force_locale
from flask.cli import AppGroup

from .extensions import db

portal_cli = AppGroup("portal", help="Gehoord's own commands.")


@portal_cli.command("demo")
def demo_command():
    """Load the demo data once and print where to start."""
    from .services.demo import AGENTS, load_demo

    loaded = load_demo()
    db.session.commit()
    click.echo("Demo data loaded." if loaded else "Demo data was already there.")
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo(f"\n  Gehoord runs at   {base}/")
    click.echo(f"  Mails sent so far {base}/dev/outbox  (there is no mail server in the demo)")
    click.echo("\n  Demo people (for the agent screens):")
    for agent in AGENTS:
        click.echo(f"    {agent['role']:<11} {agent['email']:<28} password: {agent['password']}")
    click.echo("")


@portal_cli.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running and send new mail as it arrives.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
def send_mail_command(loop, interval):
    """Send the mails waiting in the outbox, with retries and back-off."""
    from .services.outbox import send_pending

    if not current_app.config.get("MAIL_SERVER"):
        click.echo("No MAIL_SERVER is set: mails stay in the outbox (see /dev/outbox in development).")
        return
    while True:
        sent, failed = send_pending()
        if sent or failed or not loop:
            click.echo(f"sent {sent}, failed {failed} (they are tried again later)")
        if not loop:
            return
        time.sleep(interval)


@portal_cli.command("insight-summary")
@click.option("--rebuild", is_flag=True,
              help="Count every day again from the complaints (after an upgrade or a restore).")
@click.option("--loop", is_flag=True, help="Keep running and fold changes in as they come.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
def insight_summary_command(rebuild, loop, interval):
    """Bring the insight summary per day and category up to date (a page does what is left)."""
    from .services import insight_summary

    if rebuild:
        insight_summary.note_everything()
    while True:
        started = time.perf_counter()
        days = insight_summary.bring_up_to_date()
        db.session.commit()
        if days or not loop:
            click.echo(f"{days} day(s) counted again in {time.perf_counter() - started:.1f} s")
        if not loop:
            return
        time.sleep(interval)


@portal_cli.command("fetch-mail")
@click.option("--loop", is_flag=True, help="Keep running and read new mail as it arrives.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between rounds with --loop.")
def fetch_mail_command(loop, interval):
    """Read the complaints mailbox (IMAP_HOST …): replies land on their complaint, new mail is a new signal."""
    from .services.inbound import fetch_mailbox

    config = current_app.config
    if not (config.get("IMAP_HOST") and config.get("IMAP_USER") and config.get("MAIL_REPLY_ADDRESS")):
        click.echo("Set IMAP_HOST, IMAP_USER, IMAP_PASSWORD and MAIL_REPLY_ADDRESS to read the complaints mailbox.")
        return
    while True:
        try:
            taken = fetch_mailbox(config)
        except OSError as error:  # the mail server is down: try again at the next round
            if not loop:
                raise click.ClickException(f"could not read the mailbox: {error}") from error
            click.echo(f"could not read the mailbox ({error}); trying again in {interval:.0f} s")
            taken = 0
        if taken or not loop:
            click.echo(f"{taken} mail(s) taken")
        if not loop:
            return
        time.sleep(interval)


@portal_cli.command("receive-mail")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
def receive_mail_command(host, port):
    """Run an SMTP receiver for mail routed to the complaints address (aiosmtpd); stops with Ctrl-C."""
    from aiosmtpd.controller import Controller

    from .services.inbound import SmtpHandler

    controller = Controller(SmtpHandler(current_app._get_current_object()), hostname=host, port=port,
                            data_size_limit=current_app.config["INBOUND_MAX_BYTES"] * 2)
    controller.start()
    click.echo(f"receiving mail on {host}:{port}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


@portal_cli.command("tick")
def tick_command():
    """What time brings: a reminder halfway through a wait for the customer, closing when the wait
    ends unanswered or on the date announced after "resolved", promises whose moment passed marked
    missed (with a mail to the customer), the questions after a close (and their one reminder), old
    drafts tidied away, and staff told in digest mails."""
    from .models import utcnow
    from .services import insight_summary, lifecycle, notices, satisfaction, webhooks
    from .services.complaints import mark_missed_promises
    from .services.filing import purge_old_drafts

    now = utcnow()
    reminded = lifecycle.remind_waiting(now)
    unanswered = lifecycle.close_unanswered(now)
    in_time = lifecycle.close_resolved(now)
    missed = mark_missed_promises(now)
    surveyed = satisfaction.ask_after_close(now) + satisfaction.remind(now)
    purged = purge_old_drafts(now, current_app.config["DRAFT_LIFETIME_DAYS"])
    # Staff hear of what the steps above and the pages since the last tick did.
    told = notices.collect(now) + notices.promises_due_soon(now)
    hooked = webhooks.collect(now)  # integrations hear of it: `flask portal send-webhooks` sends them
    digests = notices.send_digests(now)
    insight_summary.bring_up_to_date()  # what the steps above changed, before a manager looks
    db.session.commit()
    click.echo(f"{missed} promise(s) marked missed; {reminded} reminder(s) to answer us; "
               f"{unanswered} closed without an answer; {in_time} closed after being solved; "
               f"{surveyed} mail(s) asking how we did; {purged} old draft(s) removed; "
               f"{told} staff notice(s), {digests} digest mail(s); {hooked} webhook delivery(ies)")


@portal_cli.command("send-webhooks")
@click.option("--loop", is_flag=True, help="Keep running and send new deliveries as they arrive.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
def send_webhooks_command(loop, interval):
    """Send the webhook deliveries that are due, signed, with retries and back-off."""
    from .services import webhooks

    while True:
        sent, failed = webhooks.send_due()
        if sent or failed or not loop:
            click.echo(f"delivered {sent}, not taken {failed} (they are tried again later)")
        if not loop:
            return
        time.sleep(interval)


@portal_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["agent", "supervisor", "admin", "manager", "colleague"]), default="agent",
              show_default=True)
@click.option("--mandate", "mandate_euros", type=int, default=0, show_default=True,
              help="The most this person may grant per complaint, in whole euros.")
@click.option("--budget", "budget_euros", type=int, default=0, show_default=True,
              help="The most this person may grant per month, in whole euros.")
@click.password_option(help="At least 10 characters (asked for when not given).")
def create_user_command(email, name, role, mandate_euros, budget_euros, password):
    """Create an agent, supervisor or admin who can log in at /agent/login."""
    from .services.money import euros_to_cents
    from .services.people import PersonError, create_user

    try:
        user = create_user(email=email, name=name, password=password, role=role,
                           mandate_per_complaint_cents=euros_to_cents(mandate_euros),
                           monthly_budget_cents=euros_to_cents(budget_euros))
    except PersonError as error:
        with force_locale("en"):  # the console speaks English, as every other line here
            raise click.UsageError(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.name} <{user.email}>.")


@portal_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised; change nothing.")
def purge_command(dry_run):
    """Anonymise complaints closed longer ago than the retention period (organisation settings)."""
    from .models import utcnow
    from .services.organisation import get_organisation
    from .services.privacy import count_purgeable, purge_closed

    now, months = utcnow(), get_organisation().retention_months
    if dry_run:
        click.echo(f"{count_purgeable(now, months)} complaint(s) closed more than {months} month(s) ago "
                   "would be anonymised (dry run: nothing changed)")
        return
    purged = purge_closed(now, months)
    db.session.commit()
    click.echo(f"{purged} complaint(s) closed more than {months} month(s) ago anonymised")
