"""Command-palette providers: "go to paper…" through the search index, "go to author…" by name,
and the saved searches. Each one posts what was chosen to the main screen, which acts on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, ClassVar

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tuireader.app.messages import SavedSearchChosen
from tuireader.corpus.names import fold
from tuireader.safe_text import inert_markup, literal, visible_controls

if TYPE_CHECKING:
    from tuireader.app.app import ReaderApp
    from tuireader.app.screens.main import MainScreen

MAX_HITS = 20


def _main_screen(provider: Provider) -> MainScreen | None:
    from tuireader.app.screens.main import MainScreen

    screen = provider.screen
    return screen if isinstance(screen, MainScreen) else None


class _ReportingProvider(Provider):
    """A provider whose failures reach the user: Textual only logs a provider's exceptions."""

    what: ClassVar[str]

    async def search(self, query: str) -> Hits:
        try:
            async for hit in self.hits(query):
                yield hit
        except Exception as error:
            reader: ReaderApp = self.app  # type: ignore[assignment]
            reader.report_failure(self.what, error)

    def hits(self, query: str) -> AsyncIterator[Hit]:
        raise NotImplementedError


class PaperCommands(_ReportingProvider):
    """Go to paper…: the palette's text is searched with the same engine as the search bar."""

    what = "Go to paper"

    async def hits(self, query: str) -> AsyncIterator[Hit]:
        main = _main_screen(self)
        if main is None or main.engine is None or not query.strip():  # no index yet: nothing to search
            return
        results = await asyncio.to_thread(main.engine.search, query, limit=MAX_HITS, with_facets=False)
        for paper_id in list(results.ids)[:MAX_HITS]:
            paper = main.library.get(paper_id)
            if paper is None:
                continue
            label = f"Go to paper: {paper.display_title}"
            yield Hit(
                1.0 - len(label) / 10_000,
                literal(label),
                lambda paper_id=paper_id: main.go_to_paper(paper_id),
                text=visible_controls(label),
                # The palette reads help as markup, whatever it holds: hence not `literal` here.
                help=inert_markup(", ".join(a.display_name for a in paper.authors[:4])),
            )


class AuthorCommands(_ReportingProvider):
    """Go to author…: filters the list to one person (name variants merged)."""

    what = "Go to author"

    async def hits(self, query: str) -> AsyncIterator[Hit]:
        main = _main_screen(self)
        if main is None:
            return
        wanted = fold(query)
        if not wanted:
            return
        people = await asyncio.to_thread(main.author_counts)
        matcher = self.matcher(query)
        shown = 0
        for folded, person, count in people:
            if wanted not in folded:
                continue
            label = visible_controls(f"Go to author: {person.name}")
            yield Hit(
                matcher.match(label) + count / 1e6,
                literal(label),  # never matcher.highlight: it would read the name as markup
                lambda key=person.key: main.go_to_author(key),
                text=label,
                help=f"{count} paper{'s' if count != 1 else ''}",
            )
            shown += 1
            if shown >= MAX_HITS:
                return

    async def discover(self) -> Hits:
        main = _main_screen(self)
        if main is None:
            return
        people = await asyncio.to_thread(main.author_counts)  # never built on the event loop
        for _, person, count in people[:10]:
            yield DiscoveryHit(
                literal(f"Go to author: {person.name}"),
                lambda key=person.key: main.go_to_author(key),
                help=f"{count} papers",
            )


class SavedSearchCommands(_ReportingProvider):
    """Saved search N: recall it (as its key does), or forget it to free the key."""

    what = "Saved searches"

    def _commands(self) -> list[tuple[str, int, bool]]:
        main = _main_screen(self)
        if main is None or main.reading is None:
            return []
        saved = sorted(main.reading.saved.items())
        recall = [
            (visible_controls(f"Saved search {slot}: {search.name}"), slot, False) for slot, search in saved
        ]
        forget = [
            (visible_controls(f"Forget saved search {slot}: {search.name}"), slot, True)
            for slot, search in saved
        ]
        return recall + forget

    def _post(self, slot: int, forget: bool) -> None:
        main = _main_screen(self)
        if main is not None:
            main.post_message(SavedSearchChosen(slot, forget=forget))

    async def hits(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for label, slot, forget in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    literal(label),  # never matcher.highlight: it would read the name as markup
                    lambda slot=slot, forget=forget: self._post(slot, forget),
                    text=label,
                    help="Frees its key" if forget else f"Key {slot}",
                )

    async def discover(self) -> Hits:
        for label, slot, forget in self._commands():
            if not forget:
                yield DiscoveryHit(
                    literal(label), lambda slot=slot: self._post(slot, False), text=label, help=f"Key {slot}"
                )
