#!/usr/bin/env python3
"""Checks the Flatpak manifest: it parses (with flatpak-builder when
installed), names the app, a GNOME runtime and SDK, builds the app from
this directory with meson and runs its tests, cleans up development files,
and asks for no more than the app needs: the keyring is reached through
the Secret portal, so no session-bus or secrets-service access."""
import json
import shutil
import subprocess
import sys

path = sys.argv[1]
problems = []

with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

if shutil.which("flatpak-builder"):
    r = subprocess.run(["flatpak-builder", "--show-manifest", path], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("flatpak-builder --show-manifest failed: " + r.stderr.strip())
else:
    print("# flatpak-builder not installed: JSON checks only")

def expect(cond, message):
    if not cond:
        problems.append(message)

expect(manifest.get("id") == "org.example.SupportDesk", "id must be org.example.SupportDesk")
expect(manifest.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
expect(manifest.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
expect(str(manifest.get("runtime-version", "")).isdigit(), "runtime-version must be a GNOME release")
expect(manifest.get("command") == "supportdesk", "command must be supportdesk")

args = manifest.get("finish-args", [])
for needed in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11"):
    expect(needed in args, f"finish-args lacks {needed}")
for arg in args:
    expect(not arg.startswith(("--socket=session-bus", "--socket=system-bus", "--filesystem=home",
                               "--filesystem=host", "--talk-name=org.freedesktop.secrets")),
           f"finish-args asks for too much: {arg}")

cleanup = manifest.get("cleanup", [])
for needed in ("/include", "/lib/pkgconfig", "*.a"):
    expect(needed in cleanup, f"cleanup lacks {needed}")

modules = manifest.get("modules", [])
app = modules[-1] if modules else {}
expect(app.get("buildsystem") == "meson", "the app module must build with meson")
expect(app.get("run-tests") is True, "the app module must run its tests")
expect({"type": "dir", "path": "."} in app.get("sources", []), "the app module must build the local directory")
expect("-Dserver=false" in app.get("config-opts", []),
       "the Flatpak ships the app and the CLI; supportdesk-server is deployed separately (-Dserver=false)")

for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
