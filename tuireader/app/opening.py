"""Opening the highlighted paper outside the reader, and telling the user how it went.

The decisions are `tuireader.opener`'s; this module picks among several attached files, runs the
launch in a worker (an opener is watched for a moment, and asking xdg-mime takes a moment too) and
reports every outcome: opened with what, refused and copied instead, or nothing to open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuireader import opener
from tuireader.clipboard import copy_to_clipboard
from tuireader.corpus.model import Paper

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp

OPEN_GROUP = "open"


def open_paper(app: ReaderApp, paper: Paper) -> None:
    """Open `paper`'s file (asking which when it has several), else its link."""
    from tuireader.app.screens.pickers import AttachedFiles

    choice = opener.choices(paper)
    missing = choice.missing
    if len(choice.files) > 1:
        files = {target.location: target for target in choice.files}

        def picked(location: str | None) -> None:
            if location in files:
                open_target(app, files[location], missing)

        app.push_screen(AttachedFiles(paper, choice.files), picked)
    elif choice.files:
        open_target(app, choice.files[0], missing)
    elif choice.link is not None:
        open_target(app, choice.link, missing)
    else:
        lines = ["The paper has no file, DOI, URL or arXiv id to open"]
        lines += [f"File missing: {path}" for path in missing]
        app.notify("\n".join(lines), title="Nothing to open", severity="warning")


def open_target(app: ReaderApp, target: opener.Target, missing: tuple[str, ...] = ()) -> None:
    app.run_worker(
        lambda: _open_in_background(app, target, missing),
        name="Opening the paper",
        group=OPEN_GROUP,
        thread=True,
        exit_on_error=False,
    )


def _open_in_background(app: ReaderApp, target: opener.Target, missing: tuple[str, ...]) -> None:
    notes = [f"File missing: {path}" for path in missing]
    chosen = opener.plan(target)
    outcome = opener.launch(chosen) if chosen.opens else None
    if outcome is not None and outcome.started:
        message = f"Opened {target.label} with {chosen.program}"
        app.call_from_thread(app.notify, "\n".join([message, *notes]), title="Open")
        return
    reason = outcome.problem if outcome is not None else chosen.refusal
    what = "the file's path" if target.is_file else "the link"
    report = copy_to_clipboard(
        target.location, what=what, terminal=lambda text: app.call_from_thread(app.copy_to_clipboard, text)
    )
    lines = [f"Not opened: {reason}", report.message, target.location, *notes]
    severity = "warning" if report.sent else "error"
    app.call_from_thread(app.notify, "\n".join(lines), title="Open", severity=severity, timeout=15)
