"""The hub's side of an LMS launch without a hub: class codes, learner ids, nicknames, joining."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasm_edu import hub
from spasm_edu.results import ResultsStore
from spasm_edu.settings import (
    HUB_CLASS_ENV,
    HUB_LEARNER_ENV,
    HUB_LEARNER_KEY_ENV,
    HUB_NICKNAME_ENV,
    LTI_NICKNAMES_ENV,
)
from spasm_edu.widgets.learner import CLASS_CODE_RE

CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def launch(**extra: object) -> dict[str, object]:
    """A verified launch as ltiauthenticator keeps it (auth_state)."""
    return {"iss": "https://lms.example.test", "sub": "u-1", CONTEXT: {"id": "BIO-7"}, **extra}


HUB_ENV = {HUB_LEARNER_KEY_ENV: "hub-secret"}


def test_the_hub_checks_class_codes_as_the_join_form_does() -> None:
    assert hub.CLASS_CODE_RE.pattern == CLASS_CODE_RE.pattern


@pytest.mark.parametrize(
    ("course", "code"),
    [("42", "42"), ("BIO-7", "BIO-7"), ("a" * 32, "a" * 32)],
)
def test_a_course_id_that_fits_is_the_class_code(course: str, code: str) -> None:
    assert hub.class_code_for(course) == code


@pytest.mark.parametrize("course", ["moodle course 42", "a" * 33, "<b>x</b>", "ö", "-x"])
def test_any_other_course_id_becomes_a_stable_valid_code(course: str) -> None:
    code = hub.class_code_for(course)
    assert CLASS_CODE_RE.match(code) and code.startswith("lms-")
    assert code == hub.class_code_for(course) != hub.class_code_for(course + "!")


def test_learner_ids_are_stable_keyed_and_per_course() -> None:
    one = hub.learner_id_for("k", "iss", "BIO-7", "u-1")
    assert one == hub.learner_id_for("k", "iss", "BIO-7", "u-1")
    assert len(one) == 32 and int(one, 16) >= 0
    assert one != hub.learner_id_for("other key", "iss", "BIO-7", "u-1")
    assert one != hub.learner_id_for("k", "iss", "BIO-8", "u-1")
    assert one != hub.learner_id_for("k", "iss", "BIO-7", "u-2")


def test_a_launch_gives_class_and_learner_and_a_name_only_when_allowed() -> None:
    named = launch(name="  Ana Lopez ")
    env = hub.lti_environment(named, HUB_ENV)
    assert env[HUB_CLASS_ENV] == "BIO-7"
    assert env[HUB_LEARNER_ENV] == hub.learner_id_for(
        "hub-secret", "https://lms.example.test", "BIO-7", "u-1"
    )
    assert HUB_NICKNAME_ENV not in env  # the educator has not allowed names
    allowed = {**HUB_ENV, LTI_NICKNAMES_ENV: "1"}
    assert hub.lti_environment(named, allowed)[HUB_NICKNAME_ENV] == "Ana Lopez"
    assert HUB_NICKNAME_ENV not in hub.lti_environment(launch(), allowed)  # no name sent
    long_name = hub.lti_environment(launch(name="x" * 99), allowed)[HUB_NICKNAME_ENV]
    assert long_name == "x" * 40


def test_a_teacher_launch_joins_no_class() -> None:
    assert hub.lti_environment(launch(**{ROLES: [INSTRUCTOR]}), HUB_ENV) == {}


@pytest.mark.parametrize(
    ("token", "env", "says"),
    [
        (launch(), {}, HUB_LEARNER_KEY_ENV),
        (launch(**{CONTEXT: {}}), HUB_ENV, "no course"),
        ({**launch(), "sub": ""}, HUB_ENV, "no user"),
    ],
)
def test_a_launch_that_cannot_make_a_class_is_an_error(
    token: dict[str, object], env: dict[str, str], says: str
) -> None:
    with pytest.raises(hub.LaunchError, match=says):
        hub.lti_environment(token, env)


def test_the_start_page_joins_the_class_the_hub_set(tmp_path: Path) -> None:
    env = hub.lti_environment(launch(name="Ana"), {**HUB_ENV, LTI_NICKNAMES_ENV: "yes"})
    with ResultsStore(f"sqlite:///{tmp_path / 'r.sqlite3'}") as store:
        store.migrate()
        learner = hub.join_from_environment(store, env)
        assert learner is not None
        assert (learner.class_code, learner.nickname) == ("BIO-7", "Ana")
        assert learner.learner_id == env[HUB_LEARNER_ENV]
        # The next visit finds the same learner; without the hub's variables nothing is joined.
        assert hub.join_from_environment(store, env) == learner
        assert hub.join_from_environment(store, {}) is None
        assert hub.join_from_environment(store, {**env, HUB_LEARNER_ENV: "not-hex"}) is None
        assert [x.learner_id for x in store.class_learners("BIO-7")] == [learner.learner_id]


def test_single_user_servers_get_the_settings_jupyter_config_writes() -> None:
    args = hub.single_user_args()
    assert "--VoilaConfiguration.template=spasm" in args
    assert "--VoilaConfiguration.show_tracebacks=False" in args
    assert "--VoilaConfiguration.strip_sources=True" in args
    assert "--KernelManager.transport=ipc" in args
    assert any(a.startswith("--MappingKernelManager.cull_idle_timeout=") for a in args)
