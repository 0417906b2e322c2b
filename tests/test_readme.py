"""The README is the newcomer's map: every file and folder it names must exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOP_LEVEL = {p.name for p in ROOT.iterdir()}


def named_paths():
    """Backticked paths (`search/redaction.py`) and the lines of the code map."""
    quoted = re.findall(r"`([\w.\-]+/[\w./\-<>]*)`", README)
    code_map = re.search(r"## Map of the code\s+```(.*?)```", README, re.S)
    mapped = re.findall(r"^([\w.\-]+/)", code_map.group(1), re.M) if code_map else []
    paths = set()
    for path in [*quoted, *mapped]:
        if "<" in path or path.startswith(("http", "/")):
            continue  # a pattern (`/<lang>/feedback/`) or a URL, not a file
        if path.split("/")[0] not in TOP_LEVEL:
            continue  # an URL path such as `en/search/`, not one of ours
        paths.add(path.rstrip("/"))
    return sorted(paths)


def test_the_readme_names_paths():
    assert len(named_paths()) >= 10


def test_every_path_the_readme_names_exists():
    missing = [p for p in named_paths() if not (ROOT / p).exists()]
    assert missing == []


def test_the_map_of_the_code_shows_every_app():
    code_map = re.search(r"## Map of the code\s+```(.*?)```", README, re.S).group(1)
    apps = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
    assert [app for app in apps if not re.search(rf"^{app}/", code_map, re.M)] == []


def test_every_command_the_readme_names_exists():
    from django.core.management import get_commands

    named = set(re.findall(r"manage\.py\s+([a-z_]+)", README))
    assert len(named) >= 5
    assert sorted(named - set(get_commands())) == []


def test_every_make_target_the_readme_names_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.M))
    named = set(re.findall(r"`make ([\w-]+)", README))
    assert len(named) >= 3
    assert sorted(named - targets) == []
