#!/usr/bin/env python3
"""The merged desktop file and metainfo carry the translations of every
language in po/LINGUAS."""
import sys
import xml.etree.ElementTree as ET

desktop, metainfo, linguas = sys.argv[1:4]
langs = [l.strip() for l in open(linguas) if l.strip() and not l.startswith("#")]
problems = []

text = open(desktop, encoding="utf-8").read()
for lang in langs:
    for key in ("GenericName", "Comment", "Keywords"):
        if f"{key}[{lang}]=" not in text:
            problems.append(f"{desktop}: no {key}[{lang}]")

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
root = ET.parse(metainfo).getroot()
for lang in langs:
    tags = {lang, lang.replace("_", "-")}
    summaries = [e for e in root.findall("summary") if e.get(XML_LANG) in tags]
    paragraphs = [e for e in root.iter("p") if e.get(XML_LANG) in tags]
    if not summaries:
        problems.append(f"{metainfo}: no summary in {lang}")
    if len(paragraphs) < 3:
        problems.append(f"{metainfo}: description not translated into {lang}")

for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
