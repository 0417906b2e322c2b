"""The README is the newcomer's map: every file and folder it names must exist."""

import re
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOP_LEVEL = {p.name for p in ROOT.iterdir()}
CODE_MAP = re.search(r"## Map of the code\s+```(.*?)```", README, re.S).group(1)
# A path in the map: `home/visit.py`, `sqlite/`, `demo/en.yaml` (not a URL such as /healthz).
MAP_PATH = re.compile(r"(?<![\w/])[\w.\-]+/[\w./\-]*")


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


def map_entries():
    """{top-level folder: what the map says of it}, one entry per folder."""
    entries, folder = {}, None
    for line in CODE_MAP.splitlines():
        if match := re.match(r"([\w.\-]+)/\s", line):
            folder = match.group(1)
            entries[folder] = line[match.end() :]
        elif folder and line.strip():
            entries[folder] += " " + line.strip()
    return entries


def found_under(folder, path):
    """Whether ``path`` is a file or folder from the top, in ``folder`` or deeper in it."""
    path = path.rstrip("/")
    if (ROOT / path).exists() or (ROOT / folder / path).exists():
        return True
    return any(p.as_posix().endswith(f"/{path}") for p in (ROOT / folder).rglob("*"))


def test_the_map_of_the_code_shows_every_folder():
    ignored = [
        line.strip().strip("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip().endswith("/")
    ]
    folders = sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and not any(fnmatch(p.name, pattern) for pattern in ignored)
    )
    assert {"devtools", "editorial", "ops", "demo"} <= set(folders)
    assert [f for f in folders if f not in map_entries()] == []


def test_every_path_in_the_map_of_the_code_exists():
    named = [(f, p) for f, text in map_entries().items() for p in MAP_PATH.findall(text)]
    assert len(named) >= 10
    assert [f"{f}: {p}" for f, p in named if not found_under(f, p)] == []


def test_every_module_and_command_the_map_names_exists():
    """Names such as query_terms, markdown_io or search_reindex: a module, a package or a
    management command."""
    from django.core.management import get_commands

    commands = set(get_commands())
    missing = []
    for folder, text in map_entries().items():
        modules = {p.stem for p in (ROOT / folder).rglob("*.py")}
        modules |= {p.name for p in (ROOT / folder).rglob("*") if p.is_dir()}
        for name in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", MAP_PATH.sub(" ", text)):
            if name not in modules and name not in commands:
                missing.append(f"{folder}: {name}")
    assert missing == []


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
