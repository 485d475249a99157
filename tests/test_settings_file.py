"""A settings file that cannot be used stops start-up with one line: where, why, what to do;
a value holding a token is never printed back."""

import pytest

from studybot.config import ConfigError, load_config, mask_tokens
from tests.studybot_process import clean_env, permissions_count, run_studybot

TELEGRAM_LIKE = "7012345678:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
DISCORD_LIKE = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs"


def start(tmp_path, settings: str, **env):
    path = tmp_path / "studybot.yaml"
    path.write_text(settings, encoding="utf-8")
    return run_studybot("run", "--config", path, "--db", tmp_path / "db.sqlite3", cwd=tmp_path,
                        env=clean_env(**env))


def test_a_yaml_syntax_error_names_the_line_and_column(tmp_path):
    result = start(tmp_path, 'timezone: "Asia/Ho_Chi_Minh"\nquiz:\n  seconds: 30\n   round_size: 5\n')
    assert result.code == 2
    assert result.err_lines == [
        f"studybot: {tmp_path / 'studybot.yaml'}: not valid YAML: line 4, column 14: mapping values are "
        f"not allowed here; fix that line (copy studybot.example.yaml for the layout)"]
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.parametrize("value", [TELEGRAM_LIKE, f"https://api.telegram.org/bot{TELEGRAM_LIKE}/",
                                   f"http://{DISCORD_LIKE}"])
def test_a_token_pasted_into_the_base_url_is_refused_and_never_echoed(tmp_path, value):
    result = start(tmp_path, f"telegram:\n  base_url: {value}\n")
    assert result.code == 2 and len(result.err_lines) == 1
    assert "telegram.base_url: must be an http:// or https:// URL of the server alone" in result.err
    assert "got a value that holds a bot token; not shown here" in result.err
    assert "AAHfiqks" not in result.err + result.out and "ZnCjm1XV" not in result.err + result.out


def test_the_environment_variable_is_named_when_it_holds_the_token(tmp_path):
    result = start(tmp_path, "", TELEGRAM_BASE_URL=TELEGRAM_LIKE)
    assert result.code == 2
    assert result.err.startswith("studybot: TELEGRAM_BASE_URL: telegram.base_url: must be")
    assert TELEGRAM_LIKE not in result.err


def test_the_configured_token_is_not_echoed_from_another_setting(tmp_path):
    with pytest.raises(ConfigError) as error:
        (tmp_path / "s.yaml").write_text("discord:\n  guild_id: abc-secret-token\n")
        load_config(tmp_path / "s.yaml", environ={"DISCORD_TOKEN": "abc-secret-token"},
                    dotenv=tmp_path / "none")
    assert "abc-secret-token" not in str(error.value) and "not shown" in str(error.value)


def test_a_settings_path_that_is_a_folder_is_refused(tmp_path):
    (tmp_path / "conf").mkdir()
    result = run_studybot("run", "--config", tmp_path / "conf", cwd=tmp_path)
    assert result.code == 2
    assert result.err_lines == [f"studybot: {tmp_path / 'conf'}: is a folder, not a settings file; give "
                                f"the file (--config or STUDYBOT_CONFIG), e.g. a copy of studybot.example.yaml"]


def test_an_unreadable_settings_file_is_named(tmp_path):
    permissions_count()
    path = tmp_path / "studybot.yaml"
    path.write_text("language: en\n")
    path.chmod(0)
    result = run_studybot("run", "--config", path, cwd=tmp_path, as_operator=True)
    assert result.code == 2 and len(result.err_lines) == 1
    assert f"studybot: {path}: cannot be read (Permission denied)" in result.err


def test_token_shapes_are_masked_in_any_message():
    assert mask_tokens(f"GET /bot{TELEGRAM_LIKE}/getMe and {DISCORD_LIKE}") == "GET /bot***/getMe and ***"
