"""Idle-lock rules: timeout and organisation policy, unlock secrets (keyring password in constant
time, passphrase only as a salted scrypt hash), five tries; and the privacy mask's PHI decisions."""

from __future__ import annotations

import pytest

from caseviewer.core import lock_policy
from caseviewer.core.lock_policy import (
    DEFAULT_IDLE_MINUTES,
    Policy,
    UnlockMethod,
    UnlockOutcome,
    UnlockVerifier,
    hash_passphrase,
    idle_minutes,
    load_policy,
    parse_policy,
    passphrase_matches,
)
from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.privacy import MASK, FieldKind, PrivacyMask, case_terms
from caseviewer.core.secrets import PASSWORD, UNLOCK_HASH, SecretStore


def test_timeout_defaults_clamps_and_policy_wins():
    assert idle_minutes(None, Policy()) == DEFAULT_IDLE_MINUTES == 10
    assert idle_minutes(3, Policy()) == 3
    assert idle_minutes(0, Policy()) == 1  # minimum one minute
    assert idle_minutes("junk", Policy()) == 10
    assert idle_minutes(30, Policy(idle_minutes=5)) == 5


def test_policy_file_is_found_and_read(tmp_path, monkeypatch):
    path = tmp_path / "policy.toml"
    path.write_text("[lock]\nidle_minutes = 4\n[privacy]\nexclude_from_capture = true\n"
                    "[access_log]\nmin_retention_days = 3000\n", encoding="utf-8")
    monkeypatch.setenv(lock_policy.ENV_POLICY, str(path))
    policy = load_policy()
    assert (policy.idle_minutes, policy.exclude_from_capture, policy.min_retention_days) == (4, True, 3000)
    assert policy.source == path and not policy.problems
    assert load_policy([tmp_path / "missing.toml"]) == Policy()


@pytest.mark.parametrize("text, idle, problem", [
    ("[lock]\nidle_minutes = 'soon'\n", DEFAULT_IDLE_MINUTES, "whole number"),
    ("[lock]\nidle_minutes = 0\n", 1, None),
    ("[lock\n", None, "not valid TOML"),
    ("lock = 3\n", None, "must be a table"),
])
def test_a_bad_policy_is_reported_and_never_looser_than_the_default(text, idle, problem):
    policy = parse_policy(text)
    assert policy.idle_minutes == idle
    assert (problem is None and not policy.problems) or any(problem in p for p in policy.problems)


def test_password_profiles_unlock_with_the_keyring_password():
    store = SecretStore()
    store.set("p", PASSWORD, "s3cret-pass")
    verifier = UnlockVerifier("p", store)
    assert verifier.method() is UnlockMethod.PASSWORD
    assert verifier.check("s3cret-pass") is UnlockOutcome.UNLOCKED
    assert verifier.check("s3cret-pasS") is UnlockOutcome.WRONG
    assert verifier.check("") is UnlockOutcome.WRONG


def test_passphrase_is_stored_only_as_a_salted_scrypt_hash():
    store = SecretStore()
    verifier = UnlockVerifier("tok", store, log_n=10)
    assert verifier.method() is UnlockMethod.PASSPHRASE and not verifier.has_passphrase()
    assert verifier.set_passphrase("blue heron") is True
    stored = store.get("tok", UNLOCK_HASH)
    scheme, log_n, r, p, salt, digest = stored.split("$")
    assert (scheme, log_n) == ("scrypt", "10") and len(bytes.fromhex(salt)) == 16 and "heron" not in stored
    assert hash_passphrase("blue heron", log_n=10) != stored  # a fresh salt every time
    assert verifier.check("blue heron") is UnlockOutcome.UNLOCKED
    assert UnlockVerifier("tok", store).matches("blue heron")  # a new session reads it from the keyring
    assert not passphrase_matches("blue heron", "scrypt$x$y")  # damaged: never unlocks


def test_without_a_profile_the_passphrase_stays_in_memory():
    verifier = UnlockVerifier(None, log_n=10)
    assert verifier.set_passphrase("only this session") is False
    assert verifier.matches("only this session")
    with pytest.raises(Exception, match="at least"):
        verifier.set_passphrase("short")


def test_five_wrong_tries_lock_out_and_a_right_one_resets():
    verifier = UnlockVerifier(None, log_n=10)
    verifier.set_passphrase("right answer")
    assert [verifier.check("no") for _ in range(4)] == [UnlockOutcome.WRONG] * 4
    assert verifier.check("right answer") is UnlockOutcome.UNLOCKED and verifier.tries_left == 5
    outcomes = [verifier.check("no") for _ in range(5)]
    assert outcomes[-1] is UnlockOutcome.LOCKED_OUT and outcomes[:4] == [UnlockOutcome.WRONG] * 4


# -- privacy --------------------------------------------------------------------------------


def test_case_terms_are_the_phi_of_the_case():
    detail = CaseDetail.model_validate({
        "id": "c1", "title": "Refill", "submitter": {"firstName": "Ada", "lastName": "Quill", "email": "ada@example.test",
                                                     "dob": "1970-02-03", "phoneNumber": "555-0100", "address": "1 Elm St"},
        "comments": [{"text": "Patient reports dizziness"}], "notes": [{"text": "Call back Friday"}],
    })
    record = CaseRecord.model_validate({"id": "c1", "applicant": {"first_name": "Bo", "last_name": "Marlow"}})
    terms = case_terms(detail, record)
    assert {"Ada", "Quill", "Ada Quill", "ada@example.test", "1970-02-03", "555-0100", "1 Elm St", "Marlow"} <= terms
    assert "Bo" not in terms and "Refill" not in terms and "c1" not in terms
    # Comment and note text is masked whole by its kind, not matched as a term: a megabyte comment
    # as a pattern cost seconds per case shown and grew the process by gigabytes.
    assert "Patient reports dizziness" not in terms and "Call back Friday" not in terms
    mask = PrivacyMask()
    mask.enabled = True
    assert mask.mask_field(FieldKind.FREE_TEXT, "Patient reports dizziness") == MASK


def test_mask_replaces_terms_only_while_active():
    mask = PrivacyMask()
    mask.add_terms({"Ada Quill", "Quill", "ada@example.test"})
    text = "Submitted by Ada Quill <ada@example.test>"
    assert mask.mask_text(text) == text
    mask.enabled = True
    assert mask.mask_text(text) == f"Submitted by {MASK} <{MASK}>"
    assert mask.mask_text("QUILL") == MASK  # case-insensitive
    assert mask.mask_field(FieldKind.NAME, "Anyone") == MASK
    assert mask.mask_field(FieldKind.OTHER, "APPROVED") == "APPROVED"
    mask.enabled, mask.locked = False, True
    assert mask.mask_text(text) != text  # the lock masks too
