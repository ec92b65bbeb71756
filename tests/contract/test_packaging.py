"""The wheel installs one top-level package, carries static/ and the compiled catalogs,
and declares Django below 6 (Open edX runs Django 5.2)."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (path,) = out.glob("openedx_party_training-*.whl")
    with zipfile.ZipFile(path) as archive:
        archive.build_log = build.stdout + build.stderr
        yield archive


def test_build_has_no_data_folder_warnings(wheel):
    """Data folders (templates, catalogs) are package data, not packages setuptools would ignore."""
    assert "would be ignored" not in wheel.build_log and "absent from the `packages`" not in wheel.build_log


def test_only_one_top_level_package(wheel):
    tops = {name.split("/")[0] for name in wheel.namelist() if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"party_training"}
    top_level = next(n for n in wheel.namelist() if n.endswith("top_level.txt"))
    assert wheel.read(top_level).decode().split() == ["party_training"]


def test_static_files_and_catalogs_shipped(wheel):
    names = set(wheel.namelist())
    for required in (
        "party_training/static/css/core.css",
        "party_training/static/js/core.js",
        "party_training/static/templates/learning_file/learning_file.html",
        "party_training/static/vendor/echarts/echarts.min.js",
        "party_training/static/vendor/echarts/LICENSE",
        "party_training/edx_plugin/locale/zh_CN/LC_MESSAGES/django.mo",
        "party_training/edx_plugin/locale/en/LC_MESSAGES/django.mo",
        "party_training/edx_plugin/migrations/0001_initial.py",
    ):
        assert required in names, required
    assert not any(n.startswith(("party_training/tests", "party_training/fixtures", "party_training/demo")) for n in names)


def test_metadata_pins_django_below_6(wheel):
    metadata = next(n for n in wheel.namelist() if n.endswith("METADATA"))
    text = wheel.read(metadata).decode()
    assert "Requires-Dist: Django<6.0,>=4.2" in text or "Requires-Dist: Django>=4.2,<6.0" in text
    assert "web-fragments" not in text.lower()  # XBlock brings it (or ships it from 6.2 on)
    entry_points = wheel.read(next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))).decode()
    assert "[lms.djangoapp]" in entry_points and "[cms.djangoapp]" in entry_points
