#!/usr/bin/env python
"""Message catalogs: extract, fill, compile, check.

    python scripts/i18n.py update   # extract msgids, fill zh_CN from i18n/zh_CN/*.po, en = msgid, compile
    python scripts/i18n.py check    # exit 1 listing every msgid without a translation

Translators edit the fragments in ``i18n/zh_CN/`` (one per area, so parallel work does not
collide; ``demo.po`` translates the demo site, the others the shipped plugin); the catalogs under ``edx_plugin/locale`` (shipped) and ``demo/locale`` (demo site
only) are generated from the sources and those fragments.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "i18n" / "zh_CN"
LANGUAGES = ("zh_CN", "en")
# catalog directory -> (source directories it is extracted from, fragments that translate it)
CATALOGS = {
    ROOT / "edx_plugin" / "locale": (["edx_plugin", "xblocks", "static"], lambda name: name != "demo.po"),
    ROOT / "demo" / "locale": (["demo"], lambda name: name == "demo.po"),
}


def extract(locale_dir: Path, sources: list[str], out_dir: Path) -> dict[str, polib.POFile]:
    """Run makemessages over ``sources`` in a scratch tree; return the fresh catalogs by language."""
    if not shutil.which("xgettext"):
        sys.exit("xgettext is missing: apt-get install gettext (scripts/bootstrap.sh does it)")
    work = out_dir / locale_dir.parent.name
    work.mkdir(parents=True)
    for source in sources:
        (work / source).symlink_to(ROOT / source, target_is_directory=True)
    (work / "locale").mkdir()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="demo.settings", PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "django", "makemessages", "--symlinks", "--no-location", "--no-obsolete",
            "--ignore", "locale/*", "--ignore", "migrations/*", "--ignore", "*/locale/*"]
    for language in LANGUAGES:
        args += ["-l", language]
    subprocess.run(args, cwd=work, env=env, check=True, stdout=subprocess.DEVNULL)
    catalogs = {lang: polib.pofile(str(work / "locale" / lang / "LC_MESSAGES" / "django.po")) for lang in LANGUAGES}
    # Blocks' scripts call gettext("...") and get their strings from this same catalog: the msgids
    # are found by the very function that serves them (xgettext garbles non-ASCII msgids such as "…").
    from party_training.edx_plugin.core.js_catalog import js_msgids  # pylint: disable=import-outside-toplevel
    scripts = sorted(p.name for p in (ROOT / "static" / "js").glob("*.js")) if "static" in sources else []
    for catalog in catalogs.values():
        known = {(e.msgctxt or "", e.msgid) for e in catalog}
        for name in scripts:
            for msgid in js_msgids(name):
                if ("", msgid) not in known:
                    known.add(("", msgid))
                    catalog.append(polib.POEntry(msgid=msgid, msgstr=""))
    return catalogs


def load_fragments(wanted) -> tuple[dict[tuple[str, str], polib.POEntry], list[str]]:
    """Translations by (context, msgid), and the msgids two fragments translate differently: one
    catalog holds one translation, so a word that means two things needs a context (pgettext)."""
    translations: dict[tuple[str, str], polib.POEntry] = {}
    sources: dict[tuple[str, str], str] = {}
    conflicts = []
    for path in sorted(p for p in FRAGMENTS.glob("*.po") if wanted(p.name)):
        for entry in polib.pofile(str(path)):
            if not (entry.msgstr or entry.msgstr_plural):
                continue
            key = (entry.msgctxt or "", entry.msgid)
            known = translations.setdefault(key, entry)
            if known is not entry and (known.msgstr, known.msgstr_plural) != (entry.msgstr, entry.msgstr_plural):
                conflicts.append(f"{sources[key]} and {path.name} translate {entry.msgid!r} differently "
                                 f"({known.msgstr!r}, {entry.msgstr!r}): unify them or add a context")
            sources.setdefault(key, path.name)
    return translations, conflicts


def fill(catalog: polib.POFile, language: str, translations) -> list[str]:
    """Fill msgstrs; return the msgids still untranslated."""
    missing = []
    for entry in catalog:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if language == "en":
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            continue
        found = translations.get((entry.msgctxt or "", entry.msgid))
        if found is None:
            entry.msgstr, entry.msgstr_plural = "", ({0: ""} if entry.msgid_plural else {})
            missing.append(entry.msgid)
        elif entry.msgid_plural:
            plural = found.msgstr_plural or {0: found.msgstr}
            entry.msgstr_plural = {0: plural.get(0) or plural.get("0") or ""}
        else:
            entry.msgstr = found.msgstr
    catalog.metadata.update({
        "Language": language, "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=1; plural=0;" if language == "zh_CN" else "nplurals=2; plural=(n != 1);",
    })
    return missing


def build(write: bool) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for locale_dir, (sources, wanted) in CATALOGS.items():
            translations, conflicts = load_fragments(wanted)
            problems += conflicts
            fresh = extract(locale_dir, sources, Path(tmp))
            for language, catalog in fresh.items():
                missing = fill(catalog, language, translations)
                problems += [f"{locale_dir.relative_to(ROOT)} {language}: {msgid!r}" for msgid in missing]
                target = locale_dir / language / "LC_MESSAGES"
                if write:
                    target.mkdir(parents=True, exist_ok=True)
                    catalog.save(str(target / "django.po"))
                    catalog.save_as_mofile(str(target / "django.mo"))
                else:
                    problems += compare_with_committed(catalog, target, locale_dir, language)
    return problems


def compare_with_committed(fresh: polib.POFile, target: Path, locale_dir: Path, language: str) -> list[str]:
    """What the committed catalogs lack compared with the sources (msgids or translations)."""
    name = f"{locale_dir.relative_to(ROOT)} {language}"
    po_path, mo_path = target / "django.po", target / "django.mo"
    if not po_path.exists() or not mo_path.exists():
        return [f"{name}: catalog not compiled (run make i18n)"]
    committed = {(e.msgctxt or "", e.msgid): e for e in polib.mofile(str(mo_path))}
    problems = []
    for entry in fresh:
        have = committed.get((entry.msgctxt or "", entry.msgid))
        if have is None or not (have.msgstr or any(have.msgstr_plural.values())):
            problems.append(f"{name}: not in the compiled catalog: {entry.msgid!r} (run make i18n)")
    return problems


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    problems = build(write=command == "update")
    for line in problems:
        print(line)
    if command == "check" and problems:
        sys.exit(1)
    print(f"{len(problems)} untranslated" if problems else "catalogs complete")


if __name__ == "__main__":
    main()
