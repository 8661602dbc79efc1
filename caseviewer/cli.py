"""The ``caseviewer`` command: the GUI by default, plus headless sub-commands.

The command line is a stable interface (users script it): sub-commands, flags, ``key=value``
output of ``demo-server`` and the exit codes (0 ok, 2 usage, 3 auth, 4 not found, 5 network or
offline with nothing cached, 1 anything else) only change compatibly. Errors are one line on
stderr; ``--verbose`` adds the traceback. Secrets are never taken from argv.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import traceback
from collections.abc import Sequence

from caseviewer import __version__
from caseviewer.core import errors
from caseviewer.core.hardening import harden_process
from caseviewer.core.text import terminal_json, terminal_line
from caseviewer.core.logs import register_secret, setup_logging
from caseviewer.core.connection import (
    ConnectionSettings,
    Secrets,
    build_api,
    secrets_from_environment,
    settings_from_environment,
)

log = logging.getLogger("caseviewer")


# --------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------


def _connection_flags() -> argparse.ArgumentParser:
    """Flags every command that talks to a service accepts (so it runs with no profile at all)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("connection")
    group.add_argument("--profile", metavar="NAME", help="connection profile to use")
    group.add_argument("--list-url", metavar="URL", help="case list service base URL")
    group.add_argument("--detail-url", metavar="URL", help="case detail service base URL")
    group.add_argument("--customer-id", metavar="ID", help="customer ID for the case list")
    group.add_argument("--offline", action="store_true", help="read only from the offline cache")
    return parent


def _common_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("-v", "--verbose", action="store_true", help="log to the console; tracebacks on error")
    return parent


def build_parser() -> argparse.ArgumentParser:
    common = _common_flags()
    connection = _connection_flags()
    parser = argparse.ArgumentParser(
        prog="caseviewer",
        description="Desktop case browser. With no command, opens the window.",
        parents=[common, connection],
    )
    parser.add_argument("--version", action="version", version=f"caseviewer {__version__}")
    parser.add_argument("--demo", action="store_true", help="start the bundled demo service and open the window on it")
    parser.add_argument("--cases", type=int, default=50, metavar="N", help="cases in the demo service (with --demo)")
    parser.add_argument(
        "--theme", choices=("system", "light", "dark", "high-contrast"), default=None, help="colour theme (default: the one chosen in View > Theme)"
    )
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_gui)

    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = commands.add_parser(
        "demo-server", parents=[common], help="run the bundled demo service alone",
        description="Run the bundled demo service on 127.0.0.1 and print its endpoints and demo credentials.",
    )
    demo.add_argument("--port", type=int, default=0, help="port for the case services (default: a free one)")
    demo.add_argument("--files-port", type=int, default=0, help="port for signed attachment URLs")
    demo.add_argument("--cases", type=int, default=50, help="number of synthetic cases (default 50)")
    demo.add_argument("--seed", type=int, default=1, help="seed of the synthetic data (default 1)")
    demo.set_defaults(func=cmd_demo_server)

    show = commands.add_parser(
        "show", parents=[common, connection], help="print one case",
        description="Print one case by case ID, short ID (CV-000123: looked up in the offline cache) "
                    "or submitter email, from the service or the cache.",
    )
    show.epilog = DASH_ID_HINT
    _add_hint_to_errors(show, DASH_ID_HINT)
    show.add_argument("case", metavar="CASE_ID|SHORT_ID|EMAIL")
    show.add_argument("--json", action="store_true", help="print the full case detail as JSON")
    show.set_defaults(func=cmd_show)

    search = commands.add_parser(
        "search", parents=[common, connection], help="find cached cases by any word in them",
        description="Full-text search over the offline cache: comments, notes, decisions, form answers and names.",
    )
    search.add_argument("words", nargs="+", metavar="WORD")
    search.add_argument("--limit", type=_bounded_int(1, MAX_SEARCH_LIMIT), default=50,
                        help=f"at most this many cases (default 50, at most {MAX_SEARCH_LIMIT:,})")
    search.set_defaults(func=cmd_search)

    for plugin in _command_plugins():
        plugin.register(commands, [common, connection])
    return parser


DASH_ID_HINT = "A case ID that begins with '-' goes after '--': caseviewer show -- -1234."


def _add_hint_to_errors(parser: argparse.ArgumentParser, hint: str) -> None:
    """Usage errors of ``parser`` end with ``hint`` (an id like ``-12`` reads as an option)."""
    plain_error = parser.error

    def error(message: str):
        plain_error(f"{message}. {hint}")

    parser.error = error  # type: ignore[method-assign]


#: The most hits ``search --limit`` may ask for (SQLite takes a 64-bit limit; a person reads fewer).
MAX_SEARCH_LIMIT = 10_000


def _bounded_int(low: int, high: int):
    """An argparse type: an integer in ``low..high``, else a usage error (exit 2), never a crash."""
    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 20 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high:,}, not {terminal_line(text)[:40]!r}")
        return value

    parse.__name__ = "number"
    return parse


def _command_plugins() -> list:
    """Sub-command modules that register themselves (profiles and login, sync, export and list)."""
    plugins = []
    for name in ("caseviewer.cli_profiles", "caseviewer.cli_sync", "caseviewer.cli_export",
                 "caseviewer.cli_audit"):
        try:
            module = __import__(name, fromlist=["register"])
        except ImportError:  # pragma: no cover - a module not written yet
            continue
        plugins.append(module)
    return plugins


# --------------------------------------------------------------------------------------------
# Connection resolution
# --------------------------------------------------------------------------------------------


def resolve_connection(args: argparse.Namespace) -> tuple[ConnectionSettings, Secrets]:
    """Settings and secrets: flag > environment > profile (DESIGN.md)."""
    flags = {
        "list_url": getattr(args, "list_url", None),
        "detail_url": getattr(args, "detail_url", None),
        "customer_id": getattr(args, "customer_id", None),
    }
    try:
        from caseviewer.core.connection import resolve
    except ImportError:  # profiles not available: flags and environment only
        settings = settings_from_environment(ConnectionSettings()).overridden(**flags)
        return settings, secrets_from_environment()
    return resolve(getattr(args, "profile", None), flags=flags)


def register_secrets(secrets: Secrets) -> None:
    """Mask these secrets in every log line from now on."""
    for value in (secrets.list_token, secrets.password, secrets.detail_key):
        register_secret(value)


def open_repository(args: argparse.Namespace):
    """A repository for the resolved connection, with the offline cache when the keyring allows it."""
    repository, _reason = _repository_for(args, *resolve_connection(args))
    return repository


def _repository_for(args: argparse.Namespace, settings: ConnectionSettings, secrets: Secrets):
    """(repository, why there is no cache or ""); ``--offline`` reads the cache only."""
    from caseviewer.core.repository import CaseRepository
    from caseviewer.core.session import cache_name, open_offline_cache

    register_secrets(secrets)
    offline = bool(getattr(args, "offline", False))
    cache, reason = open_offline_cache(settings)
    if offline and cache is None:
        raise errors.OfflineError(reason or "No offline cache is available.")
    try:
        api = build_api(settings, secrets)
    except (errors.AuthError, errors.ConfigError):
        if not offline:
            raise
        from caseviewer.core.api import CaseApi

        api = CaseApi()  # offline needs no credentials: everything comes from the cache
    repository = CaseRepository(api, document_format=settings.document_format, cache=cache, offline=offline)
    if cache is not None:
        from caseviewer.core.access_log import AccessLog

        repository.access_log = AccessLog(cache, profile=cache_name(settings))
    return repository, reason


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


def cmd_demo_server(args: argparse.Namespace) -> int:
    from caseviewer.demo.server import DemoConfig, DemoService

    config = DemoConfig(cases=args.cases, seed=args.seed, port=args.port, files_port=args.files_port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with DemoService(config) as service:
        for line in service.credentials_lines():
            print(line, flush=True)
        while not stop.wait(0.5):
            pass
    return errors.EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    repository = open_repository(args)
    try:
        result = repository.open_reference(args.case)  # the repository decides id / short id / email
    finally:
        repository.close()
    if result.detail is None:
        raise errors.NotFound(result.detail_note or "No detail for this case.")
    if result.detail_note:  # a cached copy shown because the service's answer was bad
        print(f"caseviewer: {terminal_line(result.detail_note)}", file=sys.stderr)
    if args.json:
        sys.stdout.write(terminal_json(result.detail.raw) + "\n")
    else:
        sys.stdout.write(_summary(result))
    return errors.EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    settings, secrets = resolve_connection(args)
    args.offline = True  # the cache is all this command reads; no credential is needed
    repository, _ = _repository_for(args, settings, secrets)
    try:
        hits = repository.search_cached(" ".join(args.words), limit=max(1, args.limit))
    finally:
        repository.close()
    if not hits:
        print("caseviewer: no cached case contains these words", file=sys.stderr)
        return errors.EXIT_NOT_FOUND
    for hit in hits:
        print(f"{terminal_line(hit.case_id)}  {terminal_line(hit.business_name) or '-'}  {terminal_line(hit.snippet)}")
    return errors.EXIT_OK


def _summary(result) -> str:
    """A short human-readable view of a case for the terminal."""
    detail = result.detail
    submitter = detail.submitter
    t = terminal_line  # every value is service text: escapes and controls shown, never obeyed
    lines = [
        f"{t(detail.title) or '(untitled case)'}",
        f"  id         {t(detail.id)}",
        f"  short id   {t(detail.short_id)}",
        f"  status     {t(detail.status)}{'  (archived)' if detail.is_archived else ''}",
        f"  created    {t(detail.created_at)}",
        f"  submitter  {t(submitter.full_name) if submitter else ''} <{t(submitter.email) if submitter else ''}>",
    ]
    counts = [
        ("decisions", detail.decisions),
        ("comments", detail.comments),
        ("notes", detail.notes),
        ("payments", detail.payments),
        ("orders", detail.orders),
        ("attachments", detail.all_attachments()),
        ("calendar events", detail.calendar_events),
        ("form responses", detail.responses),
        ("case products", detail.case_products),
    ]
    lines.append("  " + ", ".join(f"{len(items)} {name}" for name, items in counts))
    if result.source == "cache":
        lines.append(f"  (from the offline cache, cached {result.fetched_at:%Y-%m-%d %H:%M})")
    return "\n".join(lines) + "\n"


def _needs_first_run(args: argparse.Namespace) -> bool:
    """No profile at all and no connection given by flags or environment: show the welcome screen."""
    import os

    from caseviewer.core.connection import ENV_DETAIL_URL, ENV_LIST_URL, ENV_PROFILE
    from caseviewer.core.profiles import ProfileStore

    if args.profile or args.list_url or args.detail_url or args.offline:
        return False
    if any(os.environ.get(name) for name in (ENV_LIST_URL, ENV_DETAIL_URL, ENV_PROFILE)):
        return False
    return not ProfileStore().names()


def _hand_over_link(args: argparse.Namespace) -> bool:
    """A ``caseviewer://`` link and a window already running for this user: give it the link."""
    if args.link is None:
        return False
    from PySide6.QtWidgets import QApplication

    from caseviewer.ui.single_instance import hand_over

    if QApplication.instance() is None:
        QApplication(sys.argv[:1])  # reused by the window if the link is not taken
    if args.link.profile and not args.profile:
        args.profile = args.link.profile
    return hand_over(args.link)


def cmd_gui(args: argparse.Namespace) -> int:
    from caseviewer.ui.app import run_gui
    from caseviewer.ui.theme import ThemeChoice

    if _hand_over_link(args):
        return errors.EXIT_OK

    if not args.demo and _needs_first_run(args):
        from caseviewer.ui.app import run_first_run

        choice, profile_name = run_first_run(theme=ThemeChoice(args.theme) if args.theme else None)
        if choice == "quit":
            return errors.EXIT_OK
        args.demo = choice == "demo"
        args.profile = profile_name
    if args.demo:
        from caseviewer.demo.server import DemoConfig, DemoService

        service = DemoService(DemoConfig(cases=max(1, args.cases))).start()
        settings = ConnectionSettings(
            name="Demo",
            environment="DEMO",
            list_url=service.list_url,
            auth_url=service.auth_url,
            customer_id=service.customer_id,
            detail_url=service.detail_url,
        )
        secrets = Secrets(list_token=service.list_token, detail_key=service.detail_key)
        try:
            repository, reason = _repository_for(args, settings, secrets)
            return run_gui(
                repository,
                connection_label="Demo service",
                smoke_test=args.smoke_test,
                theme=ThemeChoice(args.theme) if args.theme else None,
                cache_unavailable_reason=reason,
                environment="DEMO",
                connection_name="Demo",
                link=args.link,
            )
        finally:
            service.stop()
    settings, secrets = resolve_connection(args)
    repository, reason = _repository_for(args, settings, secrets)
    label = settings.name or settings.list_url or settings.detail_url or "caseviewer"
    return run_gui(
        repository,
        connection_label=label,
        smoke_test=args.smoke_test,
        theme=ThemeChoice(args.theme) if args.theme else None,
        cache_unavailable_reason=reason,
        profile_name=settings.name,
        environment=settings.environment,
        color=settings.color,
        page_size=settings.page_size,
        link=args.link,
    )


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _never_fail_on_output() -> None:
    """Text that the terminal's encoding cannot write is escaped, never an error."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):  # replaced streams (tests) or already detached
            pass


def _split_link(argv: Sequence[str]) -> tuple[list[str], object]:
    """The ``caseviewer://`` link among the arguments (the .desktop file passes %U), and the rest."""
    from caseviewer.core.deeplink import is_link, parse_link

    rest, link = [], None
    for arg in argv:
        if is_link(arg) and link is None:
            try:
                link = parse_link(arg)
            except ValueError as exc:
                raise errors.ConfigError(str(exc)) from None
        else:
            rest.append(arg)
    return rest, link


def main(argv: Sequence[str] | None = None) -> int:
    harden_process()  # before anything secret is in memory: no core dumps (core/hardening.py)
    _never_fail_on_output()
    parser = build_parser()
    try:
        argv, link = _split_link(list(sys.argv[1:] if argv is None else argv))
    except errors.KnownError as exc:
        print(f"caseviewer: {exc.message}", file=sys.stderr)
        return exc.exit_code
    args = parser.parse_args(argv)
    args.link = link
    if link is not None and args.func is not cmd_gui:
        print("caseviewer: a caseviewer:// link opens the window; it cannot be given to a command", file=sys.stderr)
        return errors.EXIT_USAGE
    args.open_repository = lambda: open_repository(args)
    setup_logging(verbose=getattr(args, "verbose", False))
    try:
        return int(args.func(args) or 0)
    except errors.KnownError as exc:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"caseviewer: {terminal_line(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("caseviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. "| head"): not an error worth a message.
        _silence_stdout()
        return errors.EXIT_OK
    except Exception as exc:  # a bug: one line unless --verbose, never a secret
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"caseviewer: internal error ({type(exc).__name__}); run with --verbose for details", file=sys.stderr)
        return errors.EXIT_FAILURE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
