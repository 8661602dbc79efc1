"""``caseviewer profile ...``, ``login`` and ``logout``, run in-process through ``caseviewer.cli.main``
against the demo service, with the in-memory keyring from conftest."""

from __future__ import annotations

import io

import keyring
import keyring.backends.fail
import pytest

from caseviewer import cli
from caseviewer.cli import profiles as cli_profiles
from caseviewer.core.api import CaseQuery
from caseviewer.core.connection import Secrets, build_api
from caseviewer.core.profiles import ProfileStore
from caseviewer.core.secrets import SecretStore, save_secrets


def run(capsys, monkeypatch, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def keyring_contents() -> dict:
    return dict(keyring.get_keyring().store)


@pytest.fixture
def no_prompt(monkeypatch):
    def refuse(prompt=""):
        raise AssertionError(f"unexpected prompt: {prompt}")

    monkeypatch.setattr(cli_profiles.getpass, "getpass", refuse)


def add_demo_profile(capsys, monkeypatch, svc, name="demo", *, email=True) -> None:
    argv = ["profile", "add", name, "--list-url", svc.list_url, "--customer-id", svc.customer_id,
            "--detail-url", svc.detail_url, "--env", "DEMO", "--color", "#2da44e"]
    if email:
        argv += ["--email", svc.login_email, "--auth-url", svc.auth_url]
    code, out, err = run(capsys, monkeypatch, *argv)
    assert code == 0, err
    assert f"caseviewer login {name}" in out


def test_full_session_leaves_no_secret_on_disk(capsys, monkeypatch, fresh_demo, isolated_home, no_prompt):
    svc = fresh_demo
    add_demo_profile(capsys, monkeypatch, svc)

    code, out, err = run(capsys, monkeypatch, "login", "demo", "--password-stdin", stdin=svc.login_password + "\n")
    assert code == 0, err
    assert f"customer ID {svc.customer_id}" in out
    code, out, err = run(capsys, monkeypatch, "login", "demo", "--detail-key-stdin", stdin=svc.detail_key)
    assert code == 0, err
    assert keyring_contents() == {
        ("caseviewer", "demo:password"): svc.login_password,
        ("caseviewer", "demo:detail_key"): svc.detail_key,
    }

    code, out, _ = run(capsys, monkeypatch, "profile", "show", "demo")
    assert code == 0
    assert "password:" in out and "detail key:" in out and "not stored" not in out
    assert "DEMO" in out and svc.list_url in out and svc.login_email in out
    assert svc.login_password not in out and svc.detail_key not in out

    # The stored profile really works: sign in with the keyring password, list, open a detail.
    from caseviewer.core.connection import resolve

    settings, secrets = resolve(None, flags={}, environ={})
    with build_api(settings, secrets) as api:
        record = api.list.list_cases(CaseQuery(items_per_page=1)).records[0]
        assert api.detail.get_case(record.id).id == record.id

    code, out, _ = run(capsys, monkeypatch, "logout", "demo")
    assert code == 0 and "password, detail key" in out
    assert keyring_contents() == {}
    code, out, _ = run(capsys, monkeypatch, "profile", "show", "demo")
    assert "password:        not stored" in out and "detail key:      not stored" in out

    secrets_used = [svc.login_password, svc.detail_key, svc.list_token]
    files = [p for p in isolated_home.rglob("*") if p.is_file()]
    assert any(p.name == "profiles.toml" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets_used:
            assert secret.encode() not in data, f"a secret is in {path}"


def test_profile_list_and_remove(capsys, monkeypatch, demo_service):
    svc = demo_service
    add_demo_profile(capsys, monkeypatch, svc, "alpha")
    code, _, err = run(capsys, monkeypatch, "profile", "add", "beta", "--detail-url", "https://d.example.com")
    assert code == 0, err
    save_secrets("alpha", Secrets(list_token="tok-alpha", detail_key="key-alpha"))
    SecretStore().get_or_create_cache_key("alpha")

    code, out, _ = run(capsys, monkeypatch, "profile", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "ENVIRONMENT", "SERVICES"]
    assert lines[1].split() == ["*", "alpha", "DEMO", "list+detail"]
    assert lines[2].split() == ["beta", "-", "detail"]

    code, out, _ = run(capsys, monkeypatch, "profile", "remove", "alpha")
    assert code == 0 and "its keyring secrets" in out
    assert keyring_contents() == {}
    assert ProfileStore().names() == ["beta"]
    code, _, err = run(capsys, monkeypatch, "profile", "remove", "alpha")
    assert code == 2 and "No profile named 'alpha'" in err


def test_profile_list_when_empty(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "profile", "list")
    assert code == 0 and "No profiles yet" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["profile", "add", "x"], "neither service"),
        (["profile", "add", "x", "--list-url", "https://l.example.com"], "needs a customer ID"),
        (["profile", "add", "x", "--detail-url", "http://d.example.com"], "--allow-insecure"),
        (["profile", "add", "bad name", "--detail-url", "https://d.example.com"], "Invalid profile name"),
        (["profile", "show", "nope"], "No profile named 'nope'"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(capsys, monkeypatch, argv, message):
    code, _, err = run(capsys, monkeypatch, *argv)
    assert code == 2
    assert err.startswith("caseviewer: ") and message in err and err.count("\n") == 1


def test_insecure_profile_when_asked(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "profile", "add", "lab", "--detail-url", "http://lab.example.com",
                       "--allow-insecure", "--document-format", "url", "--page-size", "100")
    assert code == 0, err
    profile = ProfileStore().get("lab")
    assert profile.allow_insecure and profile.document_format == "url" and profile.page_size == 100


def test_interactive_login_prompts_for_what_the_profile_needs(capsys, monkeypatch, demo_service):
    svc = demo_service
    add_demo_profile(capsys, monkeypatch, svc, email=False)
    answers = {"List token": "tok-typed-1", "Detail key": "key-typed-1"}
    prompts = []

    def fake_getpass(prompt=""):
        prompts.append(prompt)
        return next(value for label, value in answers.items() if prompt.startswith(label))

    monkeypatch.setattr(cli_profiles.getpass, "getpass", fake_getpass)
    code, out, _ = run(capsys, monkeypatch, "login", "demo")
    assert code == 0 and "list token, detail key" in out
    assert len(prompts) == 2 and all("blank keeps" in p for p in prompts)
    assert SecretStore().load("demo").list_token == "tok-typed-1"

    answers.update({"List token": "", "Detail key": "key-typed-2"})  # blank keeps the token
    code, out, _ = run(capsys, monkeypatch, "login", "demo")
    assert code == 0
    stored = SecretStore().load("demo")
    assert (stored.list_token, stored.detail_key) == ("tok-typed-1", "key-typed-2")

    answers.update({"Detail key": ""})
    code, out, _ = run(capsys, monkeypatch, "login", "demo")
    assert code == 0 and "Nothing changed" in out


def test_interactive_password_is_checked_before_it_is_stored(capsys, monkeypatch, fresh_demo):
    svc = fresh_demo
    add_demo_profile(capsys, monkeypatch, svc)
    monkeypatch.setattr(
        cli_profiles.getpass, "getpass", lambda prompt="": "wrong-pw-1" if prompt.startswith("Password") else ""
    )
    code, _, err = run(capsys, monkeypatch, "login", "demo")
    assert code == 3 and "not accepted" in err and "wrong-pw-1" not in err
    assert keyring_contents() == {}


def test_stdin_token_replaces_a_stored_password(capsys, monkeypatch, demo_service, no_prompt):
    svc = demo_service
    add_demo_profile(capsys, monkeypatch, svc)
    SecretStore().set("demo", "password", "old-password")
    code, out, err = run(capsys, monkeypatch, "login", "demo", "--list-token-stdin", stdin=svc.list_token + "\r\n")
    assert code == 0, err
    assert keyring_contents() == {("caseviewer", "demo:list_token"): svc.list_token}


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "message"),
    [
        (["--password-stdin"], "", 2, "No password on standard input"),
        (["--detail-key-stdin"], "one\ntwo\n", 2, "exactly one detail key"),
        (["--password-stdin"], "wrong-password-9", 3, "not accepted"),
    ],
)
def test_stdin_login_failures_store_nothing(capsys, monkeypatch, fresh_demo, no_prompt, argv, stdin, code, message):
    add_demo_profile(capsys, monkeypatch, fresh_demo)
    got, _, err = run(capsys, monkeypatch, "login", "demo", *argv, stdin=stdin)
    assert got == code and message in err
    assert "wrong-password-9" not in err
    assert keyring_contents() == {}


def test_stdin_secret_for_a_half_the_profile_lacks(capsys, monkeypatch, demo_service, no_prompt):
    add_demo_profile(capsys, monkeypatch, demo_service, email=False)
    code, _, err = run(capsys, monkeypatch, "login", "demo", "--password-stdin", stdin="pw")
    assert code == 2 and "no email" in err
    run(capsys, monkeypatch, "profile", "add", "detailonly", "--detail-url", "https://d.example.com")
    code, _, err = run(capsys, monkeypatch, "login", "detailonly", "--list-token-stdin", stdin="tok")
    assert code == 2 and "no list URL" in err


def test_only_one_stdin_secret_per_run(capsys, monkeypatch):
    with pytest.raises(SystemExit) as caught:
        cli.main(["login", "demo", "--password-stdin", "--detail-key-stdin"])
    assert caught.value.code == 2


def test_login_without_a_keyring_says_so_before_prompting(capsys, monkeypatch, demo_service, no_prompt):
    add_demo_profile(capsys, monkeypatch, demo_service)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    code, _, err = run(capsys, monkeypatch, "login", "demo")
    assert code == 3 and "No secure keyring" in err and "never stores secrets in a file" in err

    code, out, _ = run(capsys, monkeypatch, "profile", "show", "demo")
    assert code == 0 and "secrets:" in out and "No secure keyring" in out


def test_logout_of_nothing(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "logout", "ghost")
    assert code == 0 and "No secrets were stored for 'ghost'" in out


def test_offline_reading_needs_no_credentials_and_remove_takes_the_cache(
        capsys, monkeypatch, fresh_demo, isolated_home, no_prompt):
    """Issue 13 item 11: after logout ``show --offline`` reads the cache like ``search`` does;
    ``profile remove`` deletes the cache file and key, so a new profile of that name starts empty."""
    from caseviewer.core.cache import cache_path

    svc = fresh_demo
    add_demo_profile(capsys, monkeypatch, svc, email=False)
    assert run(capsys, monkeypatch, "login", "demo", "--list-token-stdin", stdin=svc.list_token)[0] == 0
    assert run(capsys, monkeypatch, "login", "demo", "--detail-key-stdin", stdin=svc.detail_key)[0] == 0
    case_id = svc.data.case_ids()[0]
    assert run(capsys, monkeypatch, "show", case_id, "--profile", "demo")[0] == 0
    assert run(capsys, monkeypatch, "logout", "demo")[0] == 0

    code, out, err = run(capsys, monkeypatch, "show", case_id, "--profile", "demo", "--offline")
    assert code == 0, err
    assert case_id in out and "offline cache" in out
    path = cache_path("demo")
    assert path.exists()

    assert run(capsys, monkeypatch, "profile", "remove", "demo")[0] == 0
    assert not path.exists()
    assert not [k for k in keyring_contents() if k[1].startswith("demo:")]

    add_demo_profile(capsys, monkeypatch, svc, email=False)
    code, _, err = run(capsys, monkeypatch, "show", case_id, "--profile", "demo", "--offline")
    assert code == 5 and "cannot be opened" not in err  # an empty new cache, not a stale file


def test_re_adding_a_name_never_meets_a_stale_cache_file(capsys, monkeypatch, fresh_demo, isolated_home, no_prompt):
    from caseviewer.core.cache import cache_path

    path = cache_path("demo")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind by an older caseviewer" * 100)  # a file no key opens
    add_demo_profile(capsys, monkeypatch, fresh_demo, email=False)
    assert not path.exists()
