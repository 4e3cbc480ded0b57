#!/usr/bin/env python3
"""Checks that the Flatpak can run what this build links: every shared
library that the built binaries need (their DT_NEEDED entries) is either
provided by the GNOME Platform (tests/data/gnome-platform-libs.txt, derived
from gnome-build-meta for the manifest's runtime-version) or built by a
module of the manifest.

A module provides the libraries named after it: module "libical" provides
libical.so.3 and its siblings libicalss.so.3 and libicalvcal.so.3.

usage: check-linked-libs.py MANIFEST PLATFORM_LIST SANITIZE BINARY...
SANITIZE is the build's b_sanitize option: with a sanitizer the binaries
also link its runtime (libasan, libubsan), which the Flatpak never ships."""
import copy
import json
import re
import shutil
import subprocess
import sys

SANITIZER_RUNTIME = re.compile(r"^lib(asan|ubsan|lsan|tsan|hwasan)\.so(\.|$)")


def read_platform(path):
    """The platform's sonames and the runtime-version from the header."""
    sonames = {}
    version = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s*runtime-version:\s*(\S+)", line)
            if m:
                version = m.group(1)
            line = line.split("#", 1)[0].split()
            if line:
                sonames[line[0]] = line[1] if len(line) > 1 else ""
    return sonames, version


def needed(binary):
    """DT_NEEDED entries of an ELF file, as readelf prints them."""
    out = subprocess.run(["readelf", "--dynamic", "--wide", binary],
                         capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def library_modules(manifest):
    """Names of the modules that build libraries: every module, nested ones
    included, except the last top-level one (the app itself)."""
    def walk(modules):
        for m in modules:
            if isinstance(m, dict):
                yield m.get("name", "")
                yield from walk(m.get("modules", []))
    top = manifest.get("modules", [])
    return list(walk(top[:-1]))


def providing_module(soname, modules):
    stem = soname.split(".so", 1)[0]
    for name in modules:
        if name and stem.startswith(name):
            return name
    return None


def check(linked, platform, modules, sanitize):
    """Problems for {binary: [soname]}; also a module that provides nothing
    any binary links is reported (a module too many is a build too long)."""
    problems = []
    used_modules = set()
    for binary, sonames in linked.items():
        for soname in sonames:
            if soname in platform:
                continue
            if sanitize != "none" and SANITIZER_RUNTIME.match(soname):
                continue
            module = providing_module(soname, modules)
            if module:
                used_modules.add(module)
                continue
            problems.append(f"{binary} links {soname}: not in the GNOME Platform list "
                            "and no module of the manifest builds it")
    for name in modules:
        if name not in used_modules:
            problems.append(f"module {name} builds nothing that the binaries link")
    return problems


def self_check(linked, platform, manifest, sanitize):
    """The check fails when a module the binaries need is taken out of the
    manifest, and when a binary links a library nobody provides."""
    problems = []
    modules = library_modules(manifest)
    needed_modules = {providing_module(s, modules) for sonames in linked.values() for s in sonames}
    for name in sorted(needed_modules - {None}):
        without = copy.deepcopy(manifest)
        top = without["modules"]
        without["modules"] = [m for m in top[:-1] if m.get("name") != name] + top[-1:]
        result = check(linked, platform, library_modules(without), sanitize)
        if not any(name in p for p in result):
            problems.append(f"self-check: without module {name} the check still passes")
    fake = {"self-check": ["libsupportdesk-nowhere.so.1"]}
    if not check(fake, platform, modules, sanitize):
        problems.append("self-check: a library nobody provides passes the check")
    return problems


def main():
    manifest_path, platform_path, sanitize, *binaries = sys.argv[1:]
    if not binaries:
        print("usage: check-linked-libs.py MANIFEST PLATFORM_LIST SANITIZE BINARY...")
        return 2
    if not shutil.which("readelf"):
        print("FAIL: readelf (binutils) is not installed")
        return 1
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    platform, version = read_platform(platform_path)

    problems = []
    if version != str(manifest.get("runtime-version")):
        problems.append(f"{platform_path} was derived for runtime {version}, the manifest "
                        f"uses {manifest.get('runtime-version')}: derive the list again")

    linked = {b: needed(b) for b in binaries}
    modules = library_modules(manifest)
    for binary, sonames in linked.items():
        for soname in sonames:
            where = platform.get(soname) or providing_module(soname, modules)
            if not where and sanitize != "none" and SANITIZER_RUNTIME.match(soname):
                where = "sanitizer runtime of this build, not in the Flatpak"
            print(f"# {binary.rsplit('/', 1)[-1]}: {soname} ({where or '?'})")

    problems += check(linked, platform, modules, sanitize)
    problems += self_check(linked, platform, manifest, sanitize)
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
