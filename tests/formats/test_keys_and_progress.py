"""Citation keys from the sources, and the progress a caller sees while a library loads."""

from __future__ import annotations

from tests.formats.corpora import write
from tuireader.corpus.keys import assign_ids
from tuireader.corpus.library import LoadProgress, load_library
from tuireader.corpus.model import Author, Paper


def test_a_source_key_is_kept_when_unique_and_a_repeat_gets_a_generated_one():
    papers = [
        Paper(title="Deep Parsing", authors=(Author("Doe", "J."),), year=2020, citation_key="doe2020"),
        Paper(title="Other Work", authors=(Author("Roe", "R."),), year=2021, citation_key="doe2020"),
        Paper(title="Third", authors=(Author("Doe", "J."),), year=2020),
    ]
    assert [p.id for p in assign_ids(papers)] == ["doe2020", "roe2021other", "doe2020third"]


def test_a_generated_key_never_takes_a_key_a_later_source_gives():
    papers = [
        Paper(title="Learning", authors=(Author("Mu", "J."),), year=2023),
        Paper(title="Something", authors=(Author("Mu", "J."),), year=2023, citation_key="mu2023learning"),
    ]
    assert [p.id for p in assign_ids(papers)] == ["mu2023learningb", "mu2023learning"]


def test_progress_counts_files_and_bytes_up_to_the_total_then_merges(tmp_path):
    for index in range(3):
        write(
            tmp_path,
            f"f{index}.bib",
            "".join(f"@misc{{k{index}x{i}, title = {{T {i}}}}}\n" for i in range(50)),
        )
    seen: list[LoadProgress] = []
    load_library([tmp_path], progress=seen.append)
    total = sum(path.stat().st_size for path in tmp_path.iterdir())
    assert seen[0].bytes_done == 0 and seen[0].bytes_total == total and seen[0].files_total == 3
    done = [p.bytes_done for p in seen]
    assert done == sorted(done)
    assert seen[-1].stage == "merging"
    assert (seen[-1].files_done, seen[-1].bytes_done, seen[-1].fraction) == (3, total, 1.0)
