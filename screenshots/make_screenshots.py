"""Regenerate the README's screenshots: the reader's main states, as SVG files beside this script.

python screenshots/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

Steps = Callable[[Pilot], Awaitable[None]]


async def _start(pilot: Pilot) -> None:
    from tests.app.conftest import ready

    await ready(pilot)


async def _search(pilot: Pilot) -> None:
    from tests.app.conftest import ready

    await ready(pilot)
    await pilot.press("slash", *"jailbreak")
    await ready(pilot)
    await pilot.press("escape", "j")


async def _author_filter(pilot: Pilot) -> None:
    from tests.app.conftest import ready
    from tuireader.app.widgets.facets import AuthorFacets

    screen = await ready(pilot)
    await pilot.press("a", "enter")  # Mu, Jesse
    await ready(pilot)
    facets = screen.query_one(AuthorFacets)
    facets.highlighted = next(
        i for i in range(facets.option_count) if "Goodman" in str(facets.get_option_at_index(i).prompt)
    )
    await pilot.press("enter")
    await ready(pilot)
    await pilot.press("escape")


async def _citation_picker(pilot: Pilot) -> None:
    from tests.app.conftest import ready

    screen = await ready(pilot)
    screen.query_one("PaperList").select("2501.18837")
    await pilot.press("c")
    await pilot.pause(0.3)


async def _help(pilot: Pilot) -> None:
    from tests.app.conftest import ready

    await ready(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def _narrow(pilot: Pilot) -> None:
    from tests.app.conftest import ready

    await ready(pilot)
    await pilot.press("j", "j")


SHOTS: dict[str, tuple[Steps, tuple[int, int]]] = {
    "start": (_start, (150, 42)),
    "search": (_search, (150, 42)),
    "author-filter": (_author_filter, (150, 42)),
    "citation-picker": (_citation_picker, (150, 42)),
    "help": (_help, (150, 42)),
    "narrow": (_narrow, (80, 24)),
}


async def _shoot(name: str, steps: Steps, size: tuple[int, int]) -> None:
    from tests.app.conftest import reader_app

    app = reader_app()
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        await pilot.pause(0.2)
        app.save_screenshot(f"{name}.svg", str(HERE))
    print(f"wrote screenshots/{name}.svg")


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CACHE_HOME"] = f"{home}/cache"
        os.environ["XDG_CONFIG_HOME"] = f"{home}/config"
        for name, (steps, size) in SHOTS.items():
            # Each shot starts with no personal state: the reader would reopen the last one's search.
            os.environ["XDG_DATA_HOME"] = f"{home}/data-{name}"
            os.environ["XDG_STATE_HOME"] = f"{home}/state-{name}"
            asyncio.run(_shoot(name, steps, size))


if __name__ == "__main__":
    main()
