"""What every page of a journey keeps at phone size: nothing scrolls sideways, the header takes
at most a fifth of the screen, a checkbox's label starts beside its box, the error summary (when
there is one) has the focus, and every interactive element has an accessible name (read from
chromium's own accessibility tree).
``SHOTS`` (the environment's JOBDAY_SHOTS, a folder) keeps a screenshot of each page checked."""

from __future__ import annotations

import os
import re
from pathlib import Path

INTERACTIVE_ROLES = {"link", "button", "textbox", "searchbox", "combobox", "listbox", "checkbox", "radio",
                     "spinbutton", "slider", "switch", "tab", "menuitem", "option", "DisclosureTriangle"}
SHOTS = os.environ.get("JOBDAY_SHOTS")


def unnamed_controls(page) -> list[str]:
    """The interactive elements of the page that a screen reader would announce without a name."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    found = []
    for node in nodes:
        role = (node.get("role") or {}).get("value")
        if node.get("ignored") or role not in INTERACTIVE_ROLES:
            continue
        if not ((node.get("name") or {}).get("value") or "").strip():
            found.append(f"{role} (backend node {node.get('backendDOMNodeId')})")
    return found


def labels_below_their_box(page) -> list[str]:
    """The single checkboxes whose label starts on a line below the box instead of beside it."""
    return page.evaluate("""[...document.querySelectorAll('.field-checkbox')].filter(field => {
        const box = field.querySelector('input'), label = field.querySelector('label');
        return box && label && label.getBoundingClientRect().top >= box.getBoundingClientRect().bottom;
    }).map(field => field.querySelector('label').textContent.trim())""")


def check_page(page, label: str, *, height: int = 844) -> None:
    """Fails when the page breaks one of the rules above; keeps a screenshot when asked."""
    page.wait_for_load_state()
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        number = len(list(folder.glob("*.png"))) + 1
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        page.screenshot(path=str(folder / f"{number:02d}-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.clientWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{label}: the page scrolls sideways ({scroll} px wide for {width})"
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert header <= height / 5, f"{label}: the header takes {header:.0f} px of {height}"
    assert unnamed_controls(page) == [], f"{label}: interactive elements without an accessible name"
    assert labels_below_their_box(page) == [], f"{label}: a checkbox's label wraps under its box"
    if page.locator(".form-errors[role=alert]").count():
        focused = page.evaluate("document.activeElement && document.activeElement.classList.contains('form-errors')")
        assert focused, f"{label}: the error summary does not have the focus"
