#!/usr/bin/env python3
"""Checks the Flatpak manifest: it parses cleanly (flatpak-builder
--show-manifest, when installed, prints no warning), names the app, a
current GNOME runtime and SDK, builds every library module from an upstream
release archive with its sha256, builds the app from this directory with
meson and runs only the 'flatpak' test suite (no display, D-Bus session,
keyring or server exists inside flatpak-builder), cleans up development
files, and asks for no more than the app needs: the keyring is reached
through the Secret portal, so no session-bus or secrets-service access.

usage: check-flatpak-manifest.py MANIFEST [MESON_BUILD_DIR]
With the build directory, the 'flatpak' suite must exist there and hold no
test of the 'ui' suite."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

path = sys.argv[1]
build_dir = sys.argv[2] if len(sys.argv) > 2 else None
problems = []

# The newest stable GNOME runtime confirmed from gnome-build-meta's branches
# (see docs/flatpak.md); tests/data/gnome-platform-libs.txt was derived for it.
OLDEST_RUNTIME = 50
FLATPAK_SUITE = "flatpak"

with open(path, encoding="utf-8") as f:
    try:
        manifest = json.load(f)
    except json.JSONDecodeError as e:
        print(f"FAIL: {path} is not valid JSON: {e}")
        sys.exit(1)

if shutil.which("flatpak-builder"):
    r = subprocess.run(["flatpak-builder", "--show-manifest", path], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("flatpak-builder --show-manifest failed: " + r.stderr.strip())
    elif r.stderr.strip():
        problems.append("flatpak-builder --show-manifest warns: " + r.stderr.strip())
else:
    print("# flatpak-builder not installed: JSON checks only")

def expect(cond, message):
    if not cond:
        problems.append(message)

expect(manifest.get("id") == "org.example.SupportDesk", "id must be org.example.SupportDesk")
expect(manifest.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
expect(manifest.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
version = str(manifest.get("runtime-version", ""))
expect(version.isdigit() and int(version) >= OLDEST_RUNTIME,
       f"runtime-version must be a stable GNOME release, {OLDEST_RUNTIME} or newer (not {version!r})")
expect(manifest.get("command") == "supportdesk", "command must be supportdesk")

args = manifest.get("finish-args", [])
for needed in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11"):
    expect(needed in args, f"finish-args lacks {needed}")
for arg in args:
    expect(not arg.startswith(("--socket=session-bus", "--socket=system-bus", "--filesystem=home",
                               "--filesystem=host", "--talk-name=org.freedesktop.secrets")),
           f"finish-args asks for too much: {arg}")
expect(not any("org.freedesktop.secrets" in a for a in args),
       "the keyring is reached through the Secret portal: no org.freedesktop.secrets in finish-args")

cleanup = manifest.get("cleanup", [])
for needed in ("/include", "/lib/pkgconfig", "*.a"):
    expect(needed in cleanup, f"cleanup lacks {needed}")

modules = manifest.get("modules", [])
app = modules[-1] if modules else {}
expect(app.get("buildsystem") == "meson", "the app module must build with meson")
expect(app.get("run-tests") is True, "the app module must run its tests")
# flatpak-builder runs "ninja test" (every suite) unless test-rule is empty;
# its test-commands run in the meson build directory.
expect(app.get("test-rule") == "", 'the app module must set "test-rule": "" so that ninja test does not run every suite')
commands = app.get("test-commands", [])
expect(len(commands) == 1, "the app module must have one test command, meson test of the flatpak suite")
for command in commands:
    words = shlex.split(command)
    suites = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "--suite"]
    suites += [w.split("=", 1)[1] for w in words if w.startswith("--suite=")]
    expect(words[:2] == ["meson", "test"] and suites == [FLATPAK_SUITE],
           f"the test command must run meson test --suite {FLATPAK_SUITE} and nothing else: {command}")

# Every library module builds an upstream release archive pinned by sha256.
def walk(mods):
    for m in mods:
        if isinstance(m, dict):
            yield m
            yield from walk(m.get("modules", []))

for module in walk(modules[:-1]):
    name = module.get("name", "?")
    sources = module.get("sources", [])
    expect(sources, f"module {name} has no sources")
    for source in sources:
        expect(source.get("type") == "archive", f"module {name}: sources must be release archives, not {source.get('type')}")
        expect(str(source.get("url", "")).startswith("https://"), f"module {name}: the archive URL must be https")
        expect(re.fullmatch(r"[0-9a-f]{64}", str(source.get("sha256", ""))) is not None,
               f"module {name}: the archive needs its sha256")
expect(any(s.get("type") == "dir" and s.get("path") == "." for s in app.get("sources", [])),
       "the app module must build the local directory")
expect("-Dserver=false" in app.get("config-opts", []),
       "the Flatpak ships the app and the CLI; supportdesk-server is deployed separately (-Dserver=false)")

if build_dir:
    with open(os.path.join(build_dir, "meson-info", "intro-tests.json"), encoding="utf-8") as f:
        tests = json.load(f)
    def in_suite(test, suite):
        return any(s == suite or s.endswith(":" + suite) for s in test["suite"])
    chosen = [t["name"] for t in tests if in_suite(t, FLATPAK_SUITE)]
    expect(chosen, f"no test is in the meson suite '{FLATPAK_SUITE}'")
    for t in tests:
        if in_suite(t, FLATPAK_SUITE):
            expect(not in_suite(t, "ui"), f"{t['name']} needs a display: it cannot be in the {FLATPAK_SUITE} suite")
    print(f"# suite {FLATPAK_SUITE}: " + " ".join(chosen))

for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
