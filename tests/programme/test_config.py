"""Settings loading: every problem listed at once, unknown keys warned, secrets kept out."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.core.errors import UserError
from agent.programme.settings import load_settings, resolve_secret

EXAMPLES = Path(__file__).resolve().parents[2] / "config"

VALID = """\
[organisation]
name = "Atelier Lumière"
admin_email = "rh@atelier-lumiere.fr"
programme_email = "binome@atelier-lumiere.fr"

[roster]
path = "people.csv"

[programme]
start = 2026-09-01
"""


def write(tmp_path: Path, text: str, name: str = "settings.toml") -> Path:
    (tmp_path / "people.csv").write_text("email\nann@example.com\n", encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> UserError:
    with pytest.raises(UserError) as info:
        load_settings(path)
    return info.value


def test_shipped_example_loads_without_problems_or_warnings() -> None:
    settings, warnings = load_settings(EXAMPLES / "example.toml")
    assert warnings == []
    assert settings.organisation.admin_email == "rh@atelier-lumiere.fr"
    assert settings.organisation.programme_email == "binome@atelier-lumiere.fr"
    assert settings.programme.formats == ["mentoring", "pair", "workshop"]
    assert len(settings.programme.learning_days) == 2
    assert settings.programme.cycle_months == 3
    assert settings.roster.path == EXAMPLES / "roster.example.csv"
    assert settings.state.path == EXAMPLES / "state"
    assert settings.source == EXAMPLES / "example.toml"


def test_example_shows_every_key_of_the_schema() -> None:
    import tomllib

    from agent.programme.settings import Settings

    raw = tomllib.loads((EXAMPLES / "example.toml").read_text(encoding="utf-8"))
    # Optional keys (None by default) cannot be written in TOML: the example shows them commented.
    expected = Settings.model_validate(raw).model_dump(exclude={"source"}, exclude_none=True)

    def keys(tree: dict[str, object], prefix: str = "") -> set[str]:
        out = set()
        for key, value in tree.items():
            out.add(prefix + key)
            if isinstance(value, dict):
                out |= keys(value, f"{prefix}{key}.")
        return out

    assert keys(expected) == keys(raw)


def test_relative_paths_are_resolved_against_the_settings_folder(tmp_path: Path) -> None:
    sub = tmp_path / "conf"
    sub.mkdir()
    settings, warnings = load_settings(write(sub, VALID + '\n[state]\npath = "data"\n'))
    assert warnings == []
    assert settings.roster.path == sub.resolve() / "people.csv"
    assert settings.state.path == sub.resolve() / "data"
    assert settings.source == sub.resolve() / "settings.toml"


def test_absolute_roster_path_is_kept(tmp_path: Path) -> None:
    roster = tmp_path / "elsewhere.csv"
    roster.write_text("email\n", encoding="utf-8")
    text = VALID.replace('path = "people.csv"', f'path = "{roster.as_posix()}"')
    settings, _ = load_settings(write(tmp_path, text))
    assert settings.roster.path == roster


def test_several_errors_are_listed_in_one_user_error(tmp_path: Path) -> None:
    path = write(tmp_path, """\
[organisation]
name = "X"
admin_email = "rh-at-example"
programme_email = "binome@example.com"
timezone = "Europe/Pariss"

[roster]
path = "absent.csv"
max_drop_share = 2

[programme]
start = "2026-13-01"
cycle_months = 0
formats = ["mentoring", "coaching"]

[programme.mentoring]
minutes = 5

[hours]
start = "18:00"
end = "09:00"

[agent]
tick_minutes = "often"
""")
    error = problems_of(path)
    text = str(error)
    by_location = {p.location: p for p in error.problems}
    msg = {location: p.message for location, p in by_location.items()}
    assert str(error).startswith(f"{path}: {len(error.problems)} problems in the settings")
    assert len(error.problems) == 11
    assert all(p.where == str(path) for p in error.problems)
    assert "'rh-at-example' is not an email address" in msg["organisation.admin_email"]
    assert by_location["organisation.timezone"].message == "unknown time zone 'Europe/Pariss'"
    assert by_location["organisation.timezone"].hint == 'timezone = "Europe/Paris"'
    assert "absent.csv" in by_location["roster.path"].message
    assert "got 2" in by_location["roster.max_drop_share"].message
    assert by_location["roster.max_drop_share"].hint == "max_drop_share = 0.2"
    assert '"2026-13-01"' in by_location["programme.start"].message
    assert "got 0" in by_location["programme.cycle_months"].message
    assert "cycle_months = 3" == by_location["programme.cycle_months"].hint
    assert '"coaching"' in by_location["programme.formats[1]"].message
    assert by_location["programme.mentoring.every_weeks"].message == "missing"
    assert "got 5" in by_location["programme.mentoring.minutes"].message
    assert "end (09:00) at or before they start (18:00)" in msg["hours.end"]
    assert '"often"' in by_location["agent.tick_minutes"].message
    for location in by_location:
        assert f"{path}: {location}: " in text


def test_missing_sections_are_named_with_an_example(tmp_path: Path) -> None:
    error = problems_of(write(tmp_path, "[hours]\n"))
    by_location = {p.location: p for p in error.problems}
    assert set(by_location) == {"organisation", "roster", "programme"}
    assert by_location["organisation"].message == "missing"
    assert "name, admin_email, programme_email" in by_location["organisation"].hint


def test_lunch_outside_working_hours(tmp_path: Path) -> None:
    text = VALID + '\n[hours]\nstart = "09:00"\nend = "17:00"\nlunch_start = "16:30"\n'
    error = problems_of(write(tmp_path, text))
    [problem] = error.problems
    assert problem.location == "hours.lunch_start"
    assert "lunch 16:30-14:00 is not inside working hours 09:00-17:00" in problem.message
    assert "1 problem in the settings" in str(error)


def test_programme_email_syntax(tmp_path: Path) -> None:
    text = VALID.replace("binome@atelier-lumiere.fr", "binome@localhost")
    [problem] = problems_of(write(tmp_path, text)).problems
    assert problem.location == "organisation.programme_email"
    assert "'binome@localhost' is not an email address" in problem.message


def test_unknown_keys_are_warned_with_a_suggestion(tmp_path: Path) -> None:
    text = VALID + "cyle_months = 3\n\n[hours]\nlunch_strat = \"12:00\"\n\n[extras]\nx = 1\n"
    path = write(tmp_path, text)
    settings, warnings = load_settings(path)
    assert settings.programme.cycle_months == 3
    assert warnings == [
        f"{path}: unknown key 'programme.cyle_months' (ignored; did you mean 'cycle_months'?)",
        f"{path}: unknown key 'hours.lunch_strat' (ignored; did you mean 'lunch_start'?)",
        f"{path}: unknown key 'extras' (ignored)",
    ]


def test_a_literal_secret_is_rejected_without_echoing_it(tmp_path: Path) -> None:
    text = VALID + '\n[backend]\nsmtp_password = "hunter2"\napi_key = "abc123"\n'
    error = problems_of(write(tmp_path, text))
    locations = {p.location: p for p in error.problems}
    assert set(locations) == {"backend.smtp_password", "backend.api_key"}
    problem = locations["backend.smtp_password"]
    assert "smtp_password_env" in problem.hint and "smtp_password_command" in problem.hint
    assert "hunter2" not in str(error) and "abc123" not in str(error)


def test_secret_given_by_env_or_command_is_accepted(tmp_path: Path) -> None:
    text = VALID + '\n[backend]\nsmtp_password_env = "SMTP_PASSWORD"\n'
    _, warnings = load_settings(write(tmp_path, text))
    assert warnings == [
        f"{tmp_path / 'settings.toml'}: unknown key 'backend.smtp_password_env' (ignored)"
    ]


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[organisation]\nname = "X"\nadmin_email = rh@example.com\n')
    message = str(problems_of(path))
    assert str(path) in message and "line 3" in message


def test_unreadable_file_is_a_user_error(tmp_path: Path) -> None:
    message = str(problems_of(tmp_path / "nowhere.toml"))
    assert "nowhere.toml" in message and "cannot read" in message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    write(tmp_path, VALID)
    path.write_text(VALID, encoding="utf-8-sig")
    settings, _ = load_settings(path)
    assert settings.organisation.name == "Atelier Lumière"


def test_resolve_secret_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BINOME_TEST_SECRET", "s3cret")
    assert resolve_secret("smtp_password", "BINOME_TEST_SECRET", None) == "s3cret"


def test_resolve_secret_from_command() -> None:
    command = f"{sys.executable} -c \"print('from-command')\""
    assert resolve_secret("smtp_password", None, command) == "from-command"
    # The variable wins when set; when unset, the command is the fallback.
    assert resolve_secret("smtp_password", "BINOME_UNSET_VAR_X", command) == "from-command"


def test_resolve_secret_failures_are_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BINOME_UNSET_VAR_X", raising=False)
    with pytest.raises(UserError, match="BINOME_UNSET_VAR_X.*not set"):
        resolve_secret("smtp_password", "BINOME_UNSET_VAR_X", None)
    failing = f"{sys.executable} -c \"import sys; sys.exit('vault locked')\""
    with pytest.raises(UserError, match=r"smtp_password_command failed \(exit status 1\): vault"):
        resolve_secret("smtp_password", None, failing)
    with pytest.raises(UserError, match="smtp_password_env"):
        resolve_secret("smtp_password", None, None)
