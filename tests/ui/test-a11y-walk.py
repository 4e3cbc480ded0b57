#!/usr/bin/python3
"""The AT-SPI walk: every control a screen reader can reach has a name.

Starts the real app ($SUPPORTDESK_APP) with the accessibility bus on
(under build-aux/headless.sh), works offline in a local workspace so the
board and its header show, then walks the main window and the dialogs
(Preferences, Sign In) through
AT-SPI. Fails on any focusable, showing node (and any list row) that has
no accessible name. Waits on conditions, never for a fixed time.

Prints TAP. Exit 77 (skip) when pyatspi or the accessibility bus is missing.
"""
import os
import subprocess
import sys
import time

try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi
except (ImportError, ValueError) as e:
    print(f"1..0 # SKIP no AT-SPI bindings: {e}")
    sys.exit(0)

TIMEOUT = 180  # seconds, as UI_TIMEOUT_MS
APP = os.environ["SUPPORTDESK_APP"]
APP_ID = os.environ.get("SUPPORTDESK_APP_ID", "org.example.SupportDesk")

# Roles a user moves to or acts on: they need a name even when the
# toolkit does not mark them focusable (list rows, buttons in rows).
NAMED_ROLES = {
    Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON, Atspi.Role.ENTRY, Atspi.Role.PASSWORD_TEXT,
    Atspi.Role.COMBO_BOX, Atspi.Role.LIST_ITEM, Atspi.Role.SPIN_BUTTON,
    Atspi.Role.SLIDER, Atspi.Role.SWITCH if hasattr(Atspi.Role, "SWITCH") else Atspi.Role.TOGGLE_BUTTON,
    Atspi.Role.MENU_ITEM, Atspi.Role.PAGE_TAB, Atspi.Role.LINK,
}


# Containers GTK marks focusable for their children's sake: the children
# are checked, not the container.
CONTAINER_ROLES = {
    Atspi.Role.PANEL, Atspi.Role.SCROLL_PANE, Atspi.Role.FILLER, Atspi.Role.FRAME, Atspi.Role.LIST,
    Atspi.Role.VIEWPORT if hasattr(Atspi.Role, "VIEWPORT") else Atspi.Role.PANEL,
}


def unnamed(name):
    """No name, or only the class name GTK falls back to ("GtkButton")."""
    name = name.strip()
    return not name or (name[:3] in ("Gtk", "Adw") and name.isalnum())


def wait_for(what, condition):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)  # polling interval of the condition, not a wait for the app
    raise SystemExit(f"Bail out! timed out waiting for {what}")


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except gi.repository.GLib.Error:
            continue
    return None


def showing(node):
    states = node.get_state_set()
    return states.contains(Atspi.StateType.SHOWING) and states.contains(Atspi.StateType.VISIBLE)


def walk(node, path, problems, seen):
    try:
        role = node.get_role()
        name = node.get_name() or ""
        states = node.get_state_set()
    except gi.repository.GLib.Error:
        return 0
    count = 1
    # GTK 4.8 marks only windows "showing": a hidden child is not "visible".
    if not states.contains(Atspi.StateType.VISIBLE):
        return 0
    # Nor an unmapped one (a closed popover's list): it has no size.
    try:
        extents = node.get_extents(Atspi.CoordType.WINDOW)
        if extents.width <= 0 or extents.height <= 0:
            return 0
    except (gi.repository.GLib.Error, AttributeError, NotImplementedError):
        pass
    here = f"{path}/{node.get_role_name()}" + (f"[{name}]" if name else "")
    focusable = states.contains(Atspi.StateType.FOCUSABLE) and role not in CONTAINER_ROLES
    if (focusable or role in NAMED_ROLES) and unnamed(name):
        problems.append(here)
    # A combo box's list is its closed popup: walked when it is open.
    if role == Atspi.Role.COMBO_BOX:
        return count
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            count += walk(child, here, problems, seen)
    return count


def windows(app):
    result = []
    for i in range(app.get_child_count()):
        w = app.get_child_at_index(i)
        if w is not None and showing(w):
            result.append(w)
    return result


def action(name, *args):
    subprocess.run(["gapplication", "action", APP_ID, name, *args], check=True, timeout=TIMEOUT)


def main():
    env = dict(os.environ)
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    proc = subprocess.Popen([APP], env=env)
    tests = []
    try:
        def started():
            if proc.poll() is not None:
                raise SystemExit(f"Bail out! the app exited with status {proc.returncode}")
            return find_app(proc.pid)
        app = wait_for("the app on the accessibility bus", started)
        wait_for("the main window", lambda: windows(app))
        action("work-offline")
        # The local workspace's board: the header's sync state shows.
        wait_for("the board", lambda: any(
            "Local" in (n or "") or "本地" in (n or "") for n in names(windows(app)[0])))

        steps = [
            ("main window", None),
            ("preferences", "preferences"),
            ("sign in", "sign-in"),
        ]
        for label, act in steps:
            before = {id(w): w for w in windows(app)}
            n_before = len(before)
            if act is not None:
                action(act)
                wait_for(f"the {label} window", lambda: len(windows(app)) > n_before)
            top = windows(app)[-1]
            if os.environ.get("A11Y_DEBUG"):
                dump(top)
            problems = []
            count = walk(top, "", problems, set())
            tests.append((label, count, problems))
            if act is not None:
                close_top(app, n_before)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    print(f"1..{len(tests)}")
    failed = False
    for i, (label, count, problems) in enumerate(tests, 1):
        if problems or count < 5:
            failed = True
            print(f"not ok {i} {label}: {len(problems)} of {count} nodes without a name")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {i} {label}: {count} nodes, every control named")
    return 1 if failed else 0


def names(node, depth=0):
    try:
        yield node.get_name()
        for i in range(node.get_child_count()):
            child = node.get_child_at_index(i)
            if child is not None and depth < 60:
                yield from names(child, depth + 1)
    except gi.repository.GLib.Error:
        return


def dump(n, depth=0):
    if depth > 8:
        return
    ss = n.get_state_set()
    print("#" + "  " * depth, n.get_role_name(), repr(n.get_name()), n.get_child_count(),
          [s.value_nick for s in ss.get_states()])
    for i in range(n.get_child_count()):
        c = n.get_child_at_index(i)
        if c:
            dump(c, depth + 1)


def close_top(app, n_before):
    top = windows(app)[-1]
    # Escape closes every dialog of the app; press it through AT-SPI's
    # keyboard, into the dialog that has the focus.
    Atspi.generate_keyboard_event(9, None, Atspi.KeySynthType.PRESSRELEASE)  # keycode 9: Escape
    wait_for("the dialog to close", lambda: len(windows(app)) <= n_before)


if __name__ == "__main__":
    sys.exit(main())
