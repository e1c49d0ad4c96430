"""read_limited reads a whole regular file up to its limit, whatever stat said of it."""

from __future__ import annotations

import os

import pytest

from tutor.text import untrusted_json
from tutor.text.untrusted_json import BadFile, read_limited


@pytest.mark.parametrize("size", [0, 1, 20_000, (1 << 16) - 1, 1 << 16, 300_000])
def test_a_file_up_to_the_limit_is_read_whole(tmp_path, size):
    path = tmp_path / "r.json"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_limited(path, size) == data
    if size:
        with pytest.raises(BadFile, match="larger than"):
            read_limited(path, size - 1)


def test_a_file_longer_than_stat_said_is_read_to_its_end_or_the_limit(tmp_path, monkeypatch):
    # the file may grow between fstat and the reads: reads go on past the size fstat gave
    path = tmp_path / "r.json"
    data = os.urandom(200_000)
    path.write_bytes(data)
    real_fstat = os.fstat

    class Shrunk:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(untrusted_json.os, "fstat", lambda fd: Shrunk(real_fstat(fd)))
    assert read_limited(path, 300_000) == data
    with pytest.raises(BadFile, match="larger than"):
        read_limited(path, 150_000)
