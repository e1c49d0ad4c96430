"""The results channel is read as it grows, and only whole JSON objects count."""

from __future__ import annotations

from tutor.grader.events import Event
from tutor.grader.stream import EventStream


def test_events_are_read_as_the_file_grows_and_a_cut_line_waits(tmp_path):
    path = tmp_path / "results.jsonl"
    stream = EventStream(path)
    stream.poll()  # not written yet: nothing, and no error
    assert stream.events == [] and not stream.seen(Event.COLLECTED)

    whole = Event.COLLECTED.line(count=2) + "\n"
    cut = Event.FINISHED.line(exitstatus=0)
    path.write_text(whole + cut[:10], encoding="utf-8")
    stream.poll()
    assert stream.seen(Event.COLLECTED) and not stream.seen(Event.FINISHED)

    with path.open("a", encoding="utf-8") as handle:
        handle.write(cut[10:] + "\n")
    stream.poll()
    assert stream.seen(Event.FINISHED)
    assert [e["event"] for e in stream.events] == ["collected", "finished"]


def test_lines_that_are_not_json_objects_are_skipped(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_bytes(b"not json\n[1, 2]\n\xff\xfe\n{\"event\": \"mystery\"}\n"
                     + Event.LOAD_DONE.line().encode() + b"\n")
    stream = EventStream(path)
    stream.poll()
    assert [e["event"] for e in stream.events] == ["mystery", "load_done"]
    assert stream.seen(Event.LOAD_DONE)
