"""Personal state: stars, read status, tags, notes, marks, saved searches and the last session,
kept in SQLite under the user data folder and found by each paper's stable identities.
Never imports Textual."""

from tuireader.state.filters import (
    StateFilter,
    ids_matching,
    papers_matching,
    split_state_terms,
    status_counts,
    tag_counts,
)
from tuireader.state.identity import find_paper, identities, normalise_doi, title_fingerprint
from tuireader.state.model import (
    DEFAULT_STATE,
    SLOTS,
    BadBackup,
    PaperState,
    ReadStatus,
    SavedSearch,
    Session,
    StateError,
    StateNotSaved,
    StateUnavailable,
)
from tuireader.state.store import ImportSummary, StateStore, clean_tag, default_path

__all__ = [
    "DEFAULT_STATE",
    "SLOTS",
    "BadBackup",
    "ImportSummary",
    "PaperState",
    "ReadStatus",
    "SavedSearch",
    "Session",
    "StateError",
    "StateFilter",
    "StateNotSaved",
    "StateStore",
    "StateUnavailable",
    "clean_tag",
    "default_path",
    "find_paper",
    "identities",
    "ids_matching",
    "normalise_doi",
    "papers_matching",
    "split_state_terms",
    "status_counts",
    "tag_counts",
    "title_fingerprint",
]
