"""The house rules of DESIGN.md that a reader checks by eye, checked here: one name per area
everywhere (``grep -rl <area>`` finds every file of it), no module over about 400 lines, and no
rules module left from the old layout."""
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AREAS = ("party_class", "knowledge_contest", "writing_assignment", "case_discussion", "roster", "menu_selection",
         "rotation", "learning_file", "compliance", "reminders")
MAX_LINES = 420  # "about 400"


def _files_of(area: str) -> set[str]:
    """Where an area's files live: its package, its block, its static files, its tests, its i18n fragment."""
    found = set()
    for base in (f"edx_plugin/{area}", f"static/templates/{area}", f"tests/{area}"):
        found |= {str(p.relative_to(ROOT)) for p in (ROOT / base).rglob("*")
                  if p.is_file() and p.suffix in (".py", ".html", ".js", ".css") and p.name != "__init__.py"}
    for pattern in (f"xblocks/{area}.py", f"static/js/{area}*.js", f"static/css/{area}*.css"):
        found |= {str(p.relative_to(ROOT)) for p in ROOT.glob(pattern)}
    return found


@pytest.mark.parametrize("area", AREAS)
def test_grep_for_the_area_name_finds_every_file_of_the_area(area):
    result = subprocess.run(["grep", "-rl", area, "edx_plugin", "xblocks", "static", "tests"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    named = set(result.stdout.split())
    missing = sorted(_files_of(area) - named)
    assert not missing, f"files of {area} that do not say its name: {missing}"


def test_no_module_is_over_about_400_lines():
    long = []
    for base in ("edx_plugin", "xblocks"):
        for path in (ROOT / base).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert not long, long


def test_no_catch_all_modules_remain():
    leftovers = [str(p.relative_to(ROOT)) for p in (ROOT / "edx_plugin").rglob("*.py")
                 if p.stem in ("rules", "services", "utils", "helpers") or p.parent.name == "services"]
    assert not leftovers, leftovers
