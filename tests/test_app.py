"""The Streamlit entrypoint: sign-in and each role's home, through AppTest."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import good_call
from tests.builders import sign_in as sign_in_as
from tests.cli_runner import settings_env
from tests.conftest import make_settings
from trainer import services
from trainer.config import Settings, get_settings
from trainer.domain.scenario import load_library
from trainer.services import hand_scores, practice

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def app_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The app reads its settings from the environment, like in production."""
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    services.seed_demo(settings=settings)
    yield settings
    get_settings.cache_clear()


def sign_in(username: str, password: str = services.DEMO_PASSWORD) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.text_input(key="login_username").input(username)
    app.text_input(key="login_password").input(password)
    app.button[0].click().run()
    return app


@pytest.mark.usefixtures("app_env")
def typed_good_call(settings: Settings) -> practice.CallView:
    """Anna's late-delivery call played to its end with the scenario's good answers, typed."""
    return good_call(settings, sign_in_as(settings, "anna"), "late-delivery")


def test_login_page_renders() -> None:
    """A visitor sees the sign-in form and no error."""
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert [] == list(app.exception)
    assert "Sign in" == app.subheader[0].value


@pytest.mark.usefixtures("app_env")
def test_single_sign_on_button_only_when_configured() -> None:
    """With an [auth] section in secrets.toml the sign-in page offers single sign-on."""
    plain = AppTest.from_file(APP, default_timeout=60).run()
    configured = AppTest.from_file(APP, default_timeout=60)
    configured.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret",
        "client_id": "callcoach",
        "client_secret": "secret",
        "server_metadata_url": "https://id.example.com/.well-known/openid-configuration",
    }
    configured.run()
    assert ([], ["sso"]) == (
        [b.key for b in plain.button if b.key == "sso"],
        [b.key for b in configured.button if b.key == "sso"],
    )
    assert "Sign in with single sign-on" == configured.button(key="sso").label


@pytest.mark.parametrize(
    ("username", "title", "role"),
    [
        ("anna", "Welcome, Anna Smith", "Trainee"),
        ("trainer", "Welcome, Tina Trainer", "Trainer"),
        ("lead", "Welcome, Lena Lead", "Team lead"),
        ("admin", "Welcome, Alex Admin", "Admin"),
        ("boris", "Здравствуйте, Борис Петров", "Стажёр"),
    ],
)
@pytest.mark.usefixtures("app_env")
def test_each_role_gets_its_home(username: str, title: str, role: str) -> None:
    """After sign-in each role sees its own home page, in the user's language."""
    app = sign_in(username)
    assert [] == list(app.exception)
    assert (title, role) == (app.title[0].value, app.caption[0].value)


@pytest.mark.usefixtures("app_env")
def test_the_language_picked_is_the_language_of_readiness() -> None:
    """An English-speaking trainee who picks Russian reads their level and requirements in it."""
    app = sign_in("anna")
    app.selectbox(key="language").select("ru").run()
    assert [] == list(app.exception)
    texts = [block.value for block in app.markdown]
    assert ("Ваш уровень: **Стажёр**" in texts, "Здравствуйте, Anna Smith") == (
        True,
        app.title[0].value,
    )
    assert any(text.startswith(":red[✘] Оценённых звонков") for text in texts)


@pytest.mark.usefixtures("app_env")
def test_wrong_password_shows_coded_error() -> None:
    """A wrong password keeps the form and says so in plain words, E104 in small print."""
    app = sign_in("anna", "not-the-password")
    shown = app.error[0].value
    assert (True, True) == (shown.startswith("Wrong user name or password"), "code E104" in shown)


def test_unmigrated_database_stops_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On an un-migrated database the app says what to run instead of starting."""
    for name, value in settings_env(make_settings(tmp_path)).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    app = AppTest.from_file(APP, default_timeout=60).run()
    get_settings.cache_clear()
    assert "run `callcoach db upgrade`" in app.error[0].value


@pytest.mark.slow
@pytest.mark.usefixtures("app_env")
def test_practice_page_plays_a_typed_turn() -> None:
    """The practice page lists scenarios, starts one and shows the customer's reaction."""
    app = sign_in("anna")
    app.switch_page("trainer/ui/pages/practice.py").run()
    assert [] == list(app.exception)
    assert "Practice a call" == app.title[0].value
    app.button(key="start_late-delivery").click().run()
    app.chat_input(key=f"typed_{app.session_state['call_id']}").set_value(
        "Hello, this is Sam from Sunny Cycles. I'm sorry your order is late."
    ).run()
    assert [] == list(app.exception)
    assert 3 == len(app.chat_message)


@pytest.mark.slow
@pytest.mark.usefixtures("app_env")
def test_practice_page_refuses_an_answer_over_the_limit() -> None:
    """A typed answer over CALLCOACH_MAX_ANSWER_CHARS is not cut short silently: the page
    shows E190 and the call is unchanged."""
    app = sign_in("anna")
    app.switch_page("trainer/ui/pages/practice.py").run()
    app.button(key="start_late-delivery").click().run()
    app.chat_input(key=f"typed_{app.session_state['call_id']}").set_value("sorry " * 400).run()
    assert [] == list(app.exception)
    assert (1, True) == (len(app.chat_message), "E190" in app.error[0].value)


@pytest.mark.slow
@pytest.mark.parametrize(("finish", "resume_offered"), [(True, False), (False, True)])
@pytest.mark.usefixtures("app_env")
def test_the_practice_link_opens_the_scenario_list(finish: bool, resume_offered: bool) -> None:
    """Back on Practice from another page, the trainee sees the scenario list, not the last
    call; a call left open is offered there to resume."""
    app = sign_in("anna")
    app.switch_page("trainer/ui/pages/practice.py").run()
    app.button(key="start_late-delivery").click().run()
    if finish:
        app.button(key="abandon").click().run()
        assert "try_again" in [button.key for button in app.button]
    app.switch_page("trainer/ui/pages/home.py").run()
    app.switch_page("trainer/ui/pages/practice.py").run()
    keys = [button.key for button in app.button]
    assert [] == list(app.exception)
    assert ("Practice a call", True, resume_offered) == (
        app.title[0].value,
        "start_late-delivery" in keys,
        "resume" in keys,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "the answers were typed"), ("ru", "ответы были набраны текстом")],
)
def test_scorecard_of_a_typed_call_says_delivery_was_not_scored(
    app_env: Settings, language: str, words: str
) -> None:
    """A typed call's scorecard says in plain words, in the trainee's language, that
    delivery was not scored because the answers were typed."""
    view = typed_good_call(app_env)
    app = sign_in("anna")
    app.selectbox(key="language").select(language).run()
    app.switch_page("trainer/ui/pages/practice.py")
    app.session_state["call_id"] = view.attempt_id
    app.run()
    assert [] == list(app.exception)
    assert 1 == len([box for box in app.info if words in box.value])


WARM_UP_CHECK = f"""
import threading
from streamlit.testing.v1 import AppTest
from scoring import nlp
from trainer.speech import engines
AppTest.from_file({APP!r}, default_timeout=60).run()
for thread in threading.enumerate():
    if thread.name == "callcoach-warm-up":
        thread.join()
print(engines.get_engine.cache_info().currsize, nlp.pipeline.cache_info().currsize)
"""


@pytest.mark.slow
def test_the_app_warms_whisper_and_scoring_at_start(app_env: Settings, tmp_path: Path) -> None:
    """A fresh app process loads Whisper and both languages' scoring pipelines in the
    background from its first page (a sign-in page needs neither), into the caches answers
    use: the first answer does not wait for them; and it speaks every scenario's opening
    line into an empty voice cache, so a started call has its first line ready."""
    voices = tmp_path / "voices"
    env = {
        **settings_env(app_env),
        "PYTHONPATH": str(Path(APP).parent),
        "CALLCOACH_VOICES_DIR": str(voices),
    }
    done = subprocess.run(
        [sys.executable, "-c", WARM_UP_CHECK], env=env, capture_output=True, text=True, timeout=300
    )
    assert "1 2" == done.stdout.strip().splitlines()[-1], done.stderr[-2000:]
    assert len(load_library()) == len(list(voices.glob("*.wav")))


@pytest.mark.usefixtures("app_env")
def test_team_dashboard_renders_for_admin(app_env: Settings) -> None:
    """With seeded history, the team page shows the table, heatmap, types and a trainee;
    an admin sees the first team, and every team when they pick "All teams"."""
    admin = services.authenticate(settings=app_env, username="admin", password="callcoach-demo")
    services.seed_history(settings=app_env, actor=admin, trainees=6, attempts=60)
    app = sign_in("admin")
    app.switch_page("trainer/ui/pages/team.py").run()
    assert [] == list(app.exception)
    one_team = len(app.dataframe[0].value)
    picker = app.selectbox(key="team")
    picker.select_index(len(picker.options) - 1).run()
    assert [] == list(app.exception)
    assert ("Team dashboard", "All teams") == (app.title[0].value, picker.options[-1])
    assert 6 <= len(app.dataframe[0].value) > one_team


@pytest.mark.usefixtures("app_env")
def test_review_page_lists_own_calls_for_a_trainee() -> None:
    """A trainee's review page shows their (empty) call list, not a trainee picker."""
    app = sign_in("anna")
    app.switch_page("trainer/ui/pages/review.py").run()
    assert [] == list(app.exception)
    assert (False, "No calls yet.") == (
        "trainee" in [box.key for box in app.selectbox],
        app.info[0].value,
    )


@pytest.mark.slow
def test_hand_score_form_starts_blank_and_saves_what_was_scored(app_env: Settings) -> None:
    """Calibration: each criterion says what its scores mean, nothing is pre-filled from the
    automatic score, an empty form saves nothing, and only the criteria scored are saved."""
    view = typed_good_call(app_env)
    app = sign_in("lead")
    app.switch_page("trainer/ui/pages/review.py")
    app.session_state["review_attempt_id"] = view.attempt_id
    app.run()
    hand = [box for box in app.number_input if box.key.startswith("hand_")]
    greeting = next(box for box in hand if box.label.startswith("Greeting"))
    assert ([None] * len(hand), True) == ([box.value for box in hand], "**0**" in greeting.help)
    save = next(button for button in app.button if button.label == "Save hand scores")
    save.click().run()
    assert "Nothing to save" in app.warning[0].value
    greeting = next(box for box in app.number_input if box.label.startswith("Greeting"))
    greeting.set_value(3.0)
    next(button for button in app.button if button.label == "Save hand scores").click().run()
    admin = services.authenticate(settings=app_env, username="admin", password="callcoach-demo")
    table = hand_scores.calibration(settings=app_env, actor=admin)
    assert [("greeting", 1)] == [(row.criterion, row.pairs) for row in table]
    app.selectbox(key="language").select("ru").run()
    labels = [box.label for box in app.number_input if box.key.startswith("hand_")]
    assert "Приветствие (0–10)" in labels


@pytest.mark.usefixtures("app_env")
def test_admin_is_warned_of_demo_passwords_and_manages_accounts() -> None:
    """An admin sees the demo-password warning on every page and the Accounts page lists
    every account; a trainee sees no warning."""
    admin = sign_in("admin")
    admin.switch_page("trainer/ui/pages/accounts.py").run()
    trainee = sign_in("anna")
    assert [] == list(admin.exception)
    assert ("Accounts", 5) == (admin.title[0].value, len(admin.dataframe[0].value))
    assert admin.warning[0].value.startswith("5 account(s) still have the published demo password")
    assert [] == [w.value for w in trainee.warning]


@pytest.mark.usefixtures("app_env")
def test_an_admin_is_not_offered_to_deactivate_or_delete_themself() -> None:
    """On their own account the admin's Deactivate and Delete are disabled, with the reason;
    on another's they are offered."""
    app = sign_in("admin")
    app.switch_page("trainer/ui/pages/accounts.py").run()
    app.selectbox(key="account_pick").select("admin").run()
    own = (app.button(key="toggle_active").disabled, app.checkbox(key="delete_sure_admin").disabled)
    reason = [c.value for c in app.caption if "your own account" in c.value]
    app.selectbox(key="account_pick").select("anna").run()
    other = (
        app.button(key="toggle_active").disabled,
        app.checkbox(key="delete_sure_anna").disabled,
    )
    assert ((True, True), 1, (False, False)) == (own, len(reason), other)


def press(app: AppTest, label: str) -> AppTest:
    return next(button for button in app.button if button.label == label).click().run()


@pytest.mark.usefixtures("app_env")
def test_accounts_page_adds_resets_and_refuses_a_blank_name(app_env: Settings) -> None:
    """Adding with a blank name shows E106; a good add and a password reset work, and the
    demo warning counts one account fewer."""
    app = sign_in("admin")
    app.switch_page("trainer/ui/pages/accounts.py").run()
    app.text_input(key="new_username").input("  ")
    app.text_input(key="new_password").input("olga-password")
    press(app, "Add")
    assert "code E106" in app.error[0].value
    app.text_input(key="new_username").input("olga")
    app.text_input(key="new_password").input("olga-password")
    press(app, "Add")
    assert "Added olga." == app.success[0].value
    app.selectbox(key="account_pick").select("anna").run()
    app.text_input(key="reset_pw").input("anna-new-password")
    press(app, "Set this password")
    assert [] == list(app.exception)
    anna = services.authenticate(settings=app_env, username="anna", password="anna-new-password")
    assert ("anna", True) == (anna.username, app.warning[0].value.startswith("4 account(s)"))


@pytest.mark.usefixtures("app_env")
def test_deactivation_signs_out_at_the_next_page_action(app_env: Settings) -> None:
    """A signed-in trainee who is deactivated is back at the sign-in page on their next
    action, told that the session ended (E145)."""
    app = sign_in("anna")
    services.set_active(
        settings=app_env, actor=services.COMMAND_LINE, username="anna", active=False
    )
    app.run()
    assert ("Sign in", True) == (
        app.subheader[0].value,
        app.warning[0].value.startswith("Your session has ended"),
    )


@pytest.mark.usefixtures("app_env")
def test_a_demotion_applies_at_the_next_page_action(app_env: Settings) -> None:
    """A team lead made a trainee sees the trainee's home on their next action."""
    app = sign_in("lead")
    services.change_role_and_team(
        settings=app_env, actor=services.COMMAND_LINE, username="lead", role="trainee"
    )
    app.run()
    assert "Trainee" == app.caption[0].value


@pytest.mark.usefixtures("app_env")
def test_sign_out_revokes_the_session_token(app_env: Settings) -> None:
    """After sign-out the token this browser held (and its cookie) signs nobody in."""
    app = sign_in("anna")
    token = app.session_state["session_token"]
    app.button(key="signout").click().run()
    assert services.resume_session(settings=app_env, token=token) is None
    assert "Sign in" == app.subheader[0].value


@pytest.mark.usefixtures("app_env")
def test_own_password_change_needs_the_current_password(app_env: Settings) -> None:
    """My password: a wrong current password shows E109; the right one changes it and the
    user stays signed in."""
    app = sign_in("boris")
    app.selectbox(key="language").select("en").run()
    app.switch_page("trainer/ui/pages/password.py").run()
    for current in ("not-the-password", services.DEMO_PASSWORD):
        app.text_input(key="old_password").input(current)
        app.text_input(key="new_password").input("boris-own-password")
        app.text_input(key="new_password_again").input("boris-own-password")
        press(app, "Change password")
        if current != services.DEMO_PASSWORD:
            assert "code E109" in app.error[0].value
    assert ("Your password is changed.", "My password") == (
        app.success[0].value,
        app.title[0].value,
    )
    boris = services.authenticate(settings=app_env, username="boris", password="boris-own-password")
    assert "boris" == boris.username


@pytest.mark.slow
@pytest.mark.usefixtures("app_env")
def test_a_recommended_scenario_starts_in_one_click() -> None:
    """Home's recommended scenario button starts its call and shows it on the practice page."""
    app = sign_in("anna")
    recommended = [b for b in app.button if str(b.key).startswith("recommended_")]
    recommended[0].click().run()
    assert [] == list(app.exception)
    assert (True, 1) == (app.session_state["call_id"] is not None, len(app.chat_message))
