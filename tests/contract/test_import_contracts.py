"""The dependency rule of DESIGN.md, enforced by import-linter (contracts in setup.cfg):
xblocks -> edx_plugin.<area> -> edx_plugin.core; no area imports another; core imports no area;
rules never import pages, admin, tasks or URLs; nothing imports demo or tests.

The repository keeps xblocks/ and edx_plugin/ beside party_training/ (the wheel maps them in), so
the contracts are checked on a copy laid out as the wheel installs it."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _installed_layout(target: Path) -> Path:
    package = target / "party_training"
    ignore = shutil.ignore_patterns("__pycache__", "locale", "*.pyc")
    shutil.copytree(ROOT / "party_training", package, ignore=ignore)
    shutil.copytree(ROOT / "xblocks", package / "xblocks", ignore=ignore)
    shutil.copytree(ROOT / "edx_plugin", package / "edx_plugin", ignore=ignore)
    shutil.copytree(ROOT / "static", package / "static", ignore=shutil.ignore_patterns("*"))
    (package / "static" / "__init__.py").write_text("")
    return package


def _lint(tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}")
    return subprocess.run([str(LINT), "--no-cache", str(ROOT / "setup.cfg")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture
def layout(tmp_path):
    return _installed_layout(tmp_path)


def test_the_contracts_hold(layout, tmp_path):  # pylint: disable=redefined-outer-name,unused-argument
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 6 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("module, planted", [
    ("edx_plugin/core/ledger.py", "from ..knowledge_contest import models as _planted"),  # core -> area
    ("edx_plugin/party_class/completion.py", "from ..writing_assignment import models as _planted"),  # area -> area
    ("edx_plugin/knowledge_contest/attempts.py", "from . import views as _planted"),  # rule -> page
    ("edx_plugin/writing_assignment/grading.py", "from ..core import tasks as _planted"),  # rule -> task
    ("edx_plugin/roster/imports.py", "import party_training.xblocks.mixins as _planted"),  # plugin -> blocks
    ("edx_plugin/core/text.py", "import demo.views as _planted"),  # shipped code -> demo
])
def test_a_planted_wrong_way_import_fails(layout, tmp_path, module, planted):  # pylint: disable=redefined-outer-name
    path = layout / module
    assert path.exists(), f"{module} moved: update the test"
    path.write_text(path.read_text() + f"\n{planted}  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
