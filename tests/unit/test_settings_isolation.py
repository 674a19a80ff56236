"""Each test gets its own settings file (tests/conftest.py): a theme one test saves must not
reach the next test in the same worker, where it repainted a snapshot light."""
import pytest

from tutor.ui_settings import UiSettings, default_settings_path

pytestmark = pytest.mark.xdist_group("settings-isolation")  # both on one worker, in this order


def test_a_test_saves_the_light_theme():
    settings = UiSettings.load(default_settings_path())
    assert settings.set("theme", "textual-light")
    assert UiSettings.load(default_settings_path()).get_str("theme") == "textual-light"


def test_the_next_test_starts_from_no_saved_theme():
    assert UiSettings.load(default_settings_path()).get_str("theme") is None
