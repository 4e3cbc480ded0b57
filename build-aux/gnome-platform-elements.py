#!/usr/bin/env python3
"""Lists the elements the org.gnome.Platform Flatpak runtime is composed of,
from git clones of gnome-build-meta and freedesktop-sdk (no BuildStream
needed). tests/data/gnome-platform-libs.txt names one of these elements for
each library; run this when the manifest moves to a new runtime version.

usage: gnome-platform-elements.py GNOME_BUILD_META_GIT GNOME_REF FREEDESKTOP_SDK_GIT FDSDK_REF

GNOME_REF is a branch such as gnome-50; FDSDK_REF is the freedesktop-sdk
tag that the branch's elements/freedesktop-sdk.bst junction pins (the
script prints the pinned ref so it can be compared).

It follows the runtime dependencies (depends and runtime-depends, not
build-depends or 'type: build' entries) of elements/sdk-platform.bst,
the stack elements/flatpak/platform/filesystem.bst composes the Platform
from, into freedesktop-sdk through the junction and its overrides.
Conditional ('(?)') blocks are not followed: on a stable branch they only
add nightly-channel elements. Prints one line per element:
<gnome|fd> TAB <element> TAB <kind> TAB <first source url>."""
import subprocess
import sys

import yaml


def show(git_dir, ref, path):
    r = subprocess.run(["git", "--git-dir", git_dir, "show", f"{ref}:{path}"],
                       capture_output=True, text=True)
    return yaml.safe_load(r.stdout) if r.returncode == 0 else None


def entries(deps):
    """(filename, junction, type) of a dependency list, including the
    list-append forms ('(>)' and friends)."""
    if isinstance(deps, dict):
        deps = deps.get("(<)", []) + deps.get("(=)", []) + deps.get("(>)", [])
    out = []
    for d in deps or []:
        if isinstance(d, str):
            out.append((d, None, None))
            continue
        names = d.get("filename")
        for name in names if isinstance(names, list) else [names]:
            out.append((name, d.get("junction"), d.get("type")))
    return out


def main():
    gbm, gbm_ref, fdsdk, fdsdk_ref = sys.argv[1:5]
    repos = {"gnome": (gbm, gbm_ref), "fd": (fdsdk, fdsdk_ref)}
    junction = show(gbm, gbm_ref, "elements/freedesktop-sdk.bst")
    overrides = junction["config"]["overrides"]
    pinned = [s.get("ref") for s in junction["sources"] if "ref" in s]
    print(f"# {gbm_ref}: freedesktop-sdk junction pins {pinned}", file=sys.stderr)

    seen = {}
    missing = []
    stack = [("gnome", "sdk-platform.bst")]
    while stack:
        side, name = stack.pop()
        if side == "fd" and name in overrides:
            side, name = "gnome", overrides[name]
        if (side, name) in seen:
            continue
        git_dir, ref = repos[side]
        element = show(git_dir, ref, "elements/" + name)
        seen[(side, name)] = element
        if element is None:
            missing.append(f"{side}:{name}")
            continue
        deps = entries(element.get("depends")) + entries(element.get("runtime-depends"))
        includes = element.get("(@)") or []
        for include in includes if isinstance(includes, list) else [includes]:
            part = show(git_dir, ref, include) or {}
            deps += entries(part.get("depends")) + entries(part.get("runtime-depends"))
        for dep, dep_junction, dep_type in deps:
            if dep_type == "build":
                continue
            if side == "gnome" and (dep_junction == "freedesktop-sdk.bst"
                                    or dep.startswith("freedesktop-sdk.bst:")):
                stack.append(("fd", dep.split(":", 1)[-1]))
            else:
                stack.append((side, dep))

    for (side, name), element in sorted(seen.items()):
        if element is None:
            continue
        url = next((s["url"] for s in element.get("sources") or []
                    if isinstance(s, dict) and "url" in s), "")
        print(f"{side}\t{name}\t{element.get('kind')}\t{url}")
    for m in missing:
        print(f"# not found: {m}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
