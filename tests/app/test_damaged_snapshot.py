"""A library cache found damaged while the reader draws a paper ends the reader with one line, never
a traceback, and the next start reads the library files again."""

from __future__ import annotations

import asyncio

from tests.app.conftest import reader_app
from tests.conftest import acl_slice
from tuireader.corpus.cache import default_folder
from tuireader.corpus.library import load_library
from tuireader.corpus.snapshot import PaperTable


async def test_a_paper_damaged_in_the_cache_stops_the_reader_with_one_line(tmp_path, capsys):
    library_file = str(acl_slice(tmp_path, 200))
    fresh = load_library([library_file], cache=False)
    load_library([library_file])  # fills the cache
    kept = load_library([library_file])
    assert isinstance(kept.papers, PaperTable)
    snapshot = max(default_folder().glob("*.library"), key=lambda path: path.stat().st_size)
    starts = kept.papers._starts
    with snapshot.open("r+b") as stream:  # every paper damaged, as a failing disk would
        for index in range(len(kept.papers)):
            stream.seek((starts[index] + starts[index + 1]) // 2)
            byte = stream.read(1)
            stream.seek(-1, 1)
            stream.write(bytes([byte[0] ^ 0xFF]))

    app = reader_app([library_file])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            if app.return_code is not None:
                break
            await asyncio.sleep(0.05)
            await pilot.pause()
    assert app.return_code == 1
    told = " ".join(capsys.readouterr().err.split())  # printed once the screen is given back
    assert told.startswith("tuireader: the library's cache file") and "is damaged" in told
    assert "Traceback" not in told
    assert not snapshot.exists()

    again = load_library([library_file])
    assert [paper.title for paper in again.papers] == [paper.title for paper in fresh.papers]
