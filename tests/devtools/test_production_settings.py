"""Production installs no development tooling: the evaluation and benchmark commands exist
only under the development and test settings."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"search_eval", "search_bench", "search_insights_bench", "load_bench"}


def test_the_test_settings_offer_the_measuring_commands():
    assert {name: get_commands().get(name) for name in TOOLS} == dict.fromkeys(TOOLS, "devtools")


def test_production_settings_install_no_development_tooling():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "fake",
        "ALLOWED_HOSTS": "example.com",
        "BASE_URL": "https://example.com",
    }
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import get_commands\n"
        f"print(sorted(set({sorted(TOOLS)!r}) & set(get_commands())),"
        " 'devtools' in settings.INSTALLED_APPS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[] False"
