"""``caseviewer profile ...``, ``login`` and ``logout``: connection profiles and their secrets.

Profiles (non-secret) go to the profiles file; secrets go to the OS keyring only. Secrets are
never accepted as argument values (the command line is visible to other processes): ``login``
prompts with getpass, or reads exactly one secret from standard input per ``--*-stdin`` flag, like
``docker login --password-stdin``. A password is checked by signing in once before it is stored.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from caseviewer.cli.commands import add_command
from caseviewer.core import errors
from caseviewer.core.query import DocumentFormat
from caseviewer.core.logs import register_secret
from caseviewer.core.profiles import NAME_RULES, Profile, ProfileStore
from caseviewer.core.secrets import (
    DETAIL_KEY,
    LABELS,
    LIST_TOKEN,
    PASSWORD,
    SecretStore,
    made_stale_by,
    needed_kinds,
)

# Store factories, so a test (or an embedding tool) can point the commands elsewhere.
profile_store = ProfileStore
secret_store = SecretStore


def register(subparsers, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``profile``, ``login`` and ``logout`` to the ``caseviewer`` parser."""
    # These commands name their profile positionally, so they take only the common flags
    # (--verbose), not the connection flags (--profile, --list-url ...) that would clash.
    common = [p for p in parents if "--list-url" not in p._option_string_actions]

    profile = subparsers.add_parser(
        "profile", parents=common, help="add, list, show, test or remove connection profiles",
        description="Connection profiles: the service URLs and customer ID of each connection. "
        "Secrets are kept in the OS keyring ('caseviewer login').",
    )
    actions = profile.add_subparsers(title="profile commands", metavar="ACTION", required=True)

    add = add_command(
        actions, "add", cmd_profile_add, common, "add a profile",
        "Add a profile. Give the list half (--list-url, --customer-id), the detail half "
        "(--detail-url), or both. Store its secrets afterwards with 'caseviewer login NAME'.",
    )
    add.add_argument("name", metavar="NAME", help=f"profile name ({NAME_RULES})")
    add.add_argument("--list-url", metavar="URL", help="case list service base URL")
    add.add_argument("--customer-id", metavar="ID", help="customer ID for the case list")
    add.add_argument("--auth-url", metavar="URL", help="sign-in base URL (default: the list URL's host)")
    add.add_argument("--email", metavar="EMAIL", help="sign in with this email (the password goes to the keyring)")
    add.add_argument("--detail-url", metavar="URL", help="case detail service base URL")
    add.add_argument("--env", metavar="LABEL", default="", help="environment label: PRODUCTION, STAGING, DEMO ...")
    add.add_argument("--page-size", metavar="N", type=int, default=50, help="cases per page (default 50)")
    add.add_argument(
        "--document-format", choices=[f.value for f in DocumentFormat], default=DocumentFormat.BASE64.value,
        help="how attachments are fetched (default base64)",
    )
    add.add_argument("--color", metavar="HEX", default="", help="colour that marks this profile, e.g. #d1242f")
    add.add_argument("--allow-insecure", action="store_true", help="allow plain http:// to a non-local host")

    add_command(actions, "list", cmd_profile_list, common, "list profiles (* = last used)")
    add_command(actions, "show", cmd_profile_show, common, "show a profile and which secrets are stored",
                profile_metavar="NAME")
    add_command(
        actions, "test", cmd_profile_test, common, "check that a profile's services answer and accept its secrets",
        "Check each configured half of the profile (one line each). Secrets come from the "
        "keyring or CASEVIEWER_LIST_TOKEN / CASEVIEWER_DETAIL_KEY. Exit 0 only when every configured half "
        "is right; otherwise the exit code of the first failure (2 wrong URL, 3 credential, 4 customer "
        "not found, 5 unreachable).",
        profile_metavar="NAME",
    )
    add_command(actions, "remove", cmd_profile_remove, common, "remove a profile and its keyring secrets",
                profile_metavar="NAME")

    login = add_command(
        subparsers, "login", cmd_login, common, "store a profile's secrets in the keyring",
        "Prompt for the profile's secrets (blank keeps the stored one) and store them in the "
        "OS keyring. For scripts, each --*-stdin flag reads that one secret from standard input.",
        profile_metavar="PROFILE",
    )
    stdin = login.add_mutually_exclusive_group()
    stdin.add_argument("--list-token-stdin", action="store_true", help="read the list bearer token from stdin")
    stdin.add_argument("--password-stdin", action="store_true", help="read the sign-in password from stdin")
    stdin.add_argument("--detail-key-stdin", action="store_true", help="read the detail API key from stdin")
    add_command(subparsers, "logout", cmd_logout, common, "remove a profile's secrets from the keyring",
                profile_metavar="PROFILE")


# --------------------------------------------------------------------------------------------
# profile ...
# --------------------------------------------------------------------------------------------


def _forget_cache(name: str, *, key_too: bool) -> None:
    """Remove the offline cache file of profile ``name`` (and its keyring key): a removed
    profile's cases must not outlive it, and a new profile of the same name must start empty
    rather than meet a file it cannot decrypt (or, worse, the old profile's cases)."""
    from caseviewer.core.cache import delete_cache_files
    from caseviewer.core.secrets import CACHE_KEY

    delete_cache_files(name)
    if key_too:
        try:
            secret_store().delete(name, CACHE_KEY)
        except errors.SecretStoreError:
            pass  # no keyring: there is no key to forget either


def cmd_profile_add(args: argparse.Namespace) -> int:
    profile = profile_store().add(
        Profile(
            name=args.name,
            list_url=args.list_url,
            auth_url=args.auth_url,
            customer_id=args.customer_id,
            detail_url=args.detail_url,
            email=args.email,
            page_size=args.page_size,
            document_format=args.document_format,
            color=args.color,
            environment=args.env,
            allow_insecure=args.allow_insecure,
        )
    )
    _forget_cache(profile.name, key_too=True)  # left by an earlier profile of this name
    print(f"Added profile {profile.name!r} ({profile.halves}). Store its secrets with: caseviewer login {profile.name}")
    return errors.EXIT_OK


def cmd_profile_list(args: argparse.Namespace) -> int:
    store = profile_store()
    profiles = store.list()
    if not profiles:
        print("No profiles yet. Add one with: caseviewer profile add NAME --list-url URL --customer-id ID ...")
        return errors.EXIT_OK
    last = store.last()
    rows = [("", "NAME", "ENVIRONMENT", "SERVICES")] + [
        ("*" if last is not None and p.name == last.name else "", p.name, p.environment or "-", p.halves)
        for p in profiles
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return errors.EXIT_OK


def cmd_profile_show(args: argparse.Namespace) -> int:
    profile = profile_store().get(args.name)
    rows = [
        ("name", profile.name),
        ("environment", profile.environment or "-"),
        ("list URL", profile.list_url or "-"),
        ("customer ID", profile.customer_id or "-"),
        ("auth URL", profile.auth_url or ("(the list URL's host)" if profile.has_list else "-")),
        ("email", profile.email or "-"),
        ("detail URL", profile.detail_url or "-"),
        ("page size", str(profile.page_size)),
        ("document format", DocumentFormat(profile.document_format).value),
        ("colour", profile.color or "-"),
    ]
    if profile.allow_insecure:
        rows.append(("insecure http", "allowed"))
    try:
        state = secret_store().stored(profile.name)
    except errors.SecretStoreError as exc:
        rows.append(("secrets", f"unknown: {exc.message}"))
    else:
        rows += [
            (LABELS[kind], "stored" if getattr(state, kind) else "not stored") for kind in needed_kinds(profile)
        ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label + ':':<{width + 1}} {value}")
    return errors.EXIT_OK


def cmd_profile_test(args: argparse.Namespace) -> int:
    from caseviewer.core.connection import secrets_from_environment
    from caseviewer.core.connection_check import check_connection

    profile = profile_store().get(args.name)
    entered = secrets_from_environment()  # used, never stored; the keyring fills in the rest
    for value in (entered.list_token, entered.detail_key):
        register_secret(value)
    report = check_connection(profile.to_settings(), entered, secret_store(), profile.name)
    print(report.text)
    return report.exit_code


def cmd_profile_remove(args: argparse.Namespace) -> int:
    profile_store().remove(args.name)
    _forget_cache(args.name, key_too=False)  # the key goes with delete_all below
    try:
        secret_store().delete_all(args.name)
    except errors.SecretStoreError as exc:
        raise errors.SecretStoreError(
            f"Removed profile {args.name!r}, but could not remove its secrets from the keyring: {exc.message}"
        ) from exc
    print(f"Removed profile {args.name!r}, its offline cache and its keyring secrets.")
    return errors.EXIT_OK


# --------------------------------------------------------------------------------------------
# login / logout
# --------------------------------------------------------------------------------------------

def cmd_login(args: argparse.Namespace) -> int:
    profile = profile_store().get(args.name)
    store = secret_store()
    store.check()  # say "no keyring" before asking for anything

    stdin_kind = (
        LIST_TOKEN if args.list_token_stdin else PASSWORD if args.password_stdin else DETAIL_KEY if args.detail_key_stdin else None
    )
    if stdin_kind is not None:
        _require_half(profile, stdin_kind)
        values = {stdin_kind: _read_stdin_secret(stdin_kind)}
    else:
        values = {kind: _prompt(profile, kind) for kind in needed_kinds(profile)}
    values = {kind: value for kind, value in values.items() if value}
    if not values:
        print("Nothing changed.")
        return errors.EXIT_OK

    if PASSWORD in values:
        from caseviewer.core.connection import sign_in  # httpx: only for a sign-in

        customer_id = sign_in(profile.to_settings(), values[PASSWORD])  # AuthError: nothing stored
        print(f"Signed in as {profile.email}; customer ID {customer_id or 'not reported'}.")
        if customer_id and profile.customer_id and customer_id != profile.customer_id:
            print(
                f"Note: the profile's customer ID is {profile.customer_id}; the service reports {customer_id}.",
                file=sys.stderr,
            )
    for kind, value in values.items():
        store.set(profile.name, kind, value)
        stale = made_stale_by(kind)
        if stale is not None:
            store.delete(profile.name, stale)
    print(f"Stored in the keyring for {profile.name!r}: {', '.join(LABELS[kind] for kind in values)}.")
    return errors.EXIT_OK


def cmd_logout(args: argparse.Namespace) -> int:
    removed = secret_store().delete_credentials(args.name)
    if removed:
        print(f"Removed from the keyring for {args.name!r}: {', '.join(LABELS[kind] for kind in removed)}.")
    else:
        print(f"No secrets were stored for {args.name!r}.")
    return errors.EXIT_OK


def _require_half(profile: Profile, kind: str) -> None:
    if kind == DETAIL_KEY and not profile.has_detail:
        raise errors.UsageError(f"Profile {profile.name!r} has no detail URL, so it needs no detail key.")
    if kind in (LIST_TOKEN, PASSWORD) and not profile.has_list:
        raise errors.UsageError(f"Profile {profile.name!r} has no list URL, so it needs no list credential.")
    if kind == PASSWORD and not profile.signs_in_with_password:
        raise errors.UsageError(
            f"Profile {profile.name!r} has no email to sign in with; add one (profile add --email) "
            "or use --list-token-stdin."
        )


def _read_stdin_secret(kind: str) -> str:
    value = sys.stdin.read().strip()
    if not value:
        raise errors.UsageError(f"No {LABELS[kind]} on standard input.")
    if "\n" in value:
        raise errors.UsageError(f"Standard input must hold exactly one {LABELS[kind]} (one line).")
    register_secret(value)
    return value


def _prompt(profile: Profile, kind: str) -> str:
    label = f"Password for {profile.email}" if kind == PASSWORD else LABELS[kind].capitalize()
    value = getpass.getpass(f"{label} [{profile.name}] (blank keeps the stored one): ").strip()
    register_secret(value)
    return value


__all__ = ["register"]
