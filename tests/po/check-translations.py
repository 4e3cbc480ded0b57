#!/usr/bin/env python3
"""Checks the translation workflow:

  potfiles  — every source file with translatable strings is listed in
              po/POTFILES.in (and every listed file exists);
  complete  — each language in po/LINGUAS translates every message the
              sources contain today (no untranslated, no fuzzy), as
              msgfmt --check --statistics reports after merging a fresh
              template.

Usage: check-translations.py SOURCE_ROOT potfiles|complete
"""
import os
import re
import subprocess
import sys
import tempfile

root, what = sys.argv[1], sys.argv[2]
po_dir = os.path.join(root, "po")

def read_list(name):
    with open(os.path.join(po_dir, name), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]

MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"'
                     r'|translatable="yes"')
SCANNED = (".c", ".ui", ".in", ".xml")

def scanned_files():
    for top in ("src", "data"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith(SCANNED):
                    path = os.path.join(dirpath, name)
                    yield os.path.relpath(path, root)

def check_potfiles():
    listed = read_list("POTFILES.in")
    problems = []
    for path in listed:
        if not os.path.exists(os.path.join(root, path)):
            problems.append(f"po/POTFILES.in lists {path}, which does not exist")
    for path in scanned_files():
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        translatable = MARKERS.search(text) is not None
        if path.endswith((".desktop.in.in", ".metainfo.xml.in.in", ".gschema.xml")):
            translatable = True
        if translatable and path not in listed:
            problems.append(f"{path} has translatable strings but is not in po/POTFILES.in")
    return problems

def check_complete():
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "supportdesk.pot")
        subprocess.run(
            ["xgettext", "--from-code=UTF-8", "--add-comments",
             "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
             "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2",
             "--directory", root, "--files-from", os.path.join(po_dir, "POTFILES.in"),
             "--output", pot, "--package-name=supportdesk"],
            check=True)
        for lang in read_list("LINGUAS"):
            merged = os.path.join(tmp, lang + ".po")
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file", merged,
                            os.path.join(po_dir, lang + ".po"), pot], check=True)
            result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, merged],
                                    capture_output=True, text=True)
            stats = (result.stdout + result.stderr).strip()
            print(f"# {lang}: {stats}")
            if result.returncode != 0 or "untranslated" in stats or "fuzzy" in stats:
                problems.append(f"po/{lang}.po is not complete: {stats} "
                                "(run: ninja -C build supportdesk-update-po, then translate)")
    return problems

problems = check_potfiles() if what == "potfiles" else check_complete()
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
