"""Domain messages the panes post; the main screen owns the state they change."""

from __future__ import annotations

from textual.message import Message


class PaperHighlighted(Message):
    def __init__(self, paper_id: str | None) -> None:
        super().__init__()
        self.paper_id = paper_id


class PaperChosen(Message):
    def __init__(self, paper_id: str) -> None:
        super().__init__()
        self.paper_id = paper_id


class AuthorFilterToggled(Message):
    def __init__(self, person_key: str) -> None:
        super().__init__()
        self.person_key = person_key


class VenueFilterToggled(Message):
    def __init__(self, venue: str) -> None:
        super().__init__()
        self.venue = venue  # as the venue facets name it


class YearFilterToggled(Message):
    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year


class MarksChanged(Message):
    """`paper_id` was marked or unmarked; None when every mark was cleared."""

    def __init__(self, count: int, paper_id: str | None = None, marked: bool = False) -> None:
        super().__init__()
        self.count = count
        self.paper_id = paper_id
        self.marked = marked


class SavedSearchChosen(Message):
    """Recall the search saved under `slot`, or forget it."""

    def __init__(self, slot: int, *, forget: bool = False) -> None:
        super().__init__()
        self.slot = slot
        self.forget = forget
