"""`aisec lab`: the sample of a defence lab, its two scores, and the ungraded live run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.fake_ollama import FakeOllama

LAB = "retrieval_guard"


@pytest.fixture(scope="module")
def course_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import run_aisec

    root = tmp_path_factory.mktemp("lab")
    result = run_aisec("init", "w", cwd=root)
    assert result.code == 0, result.err
    return root / "w"


def test_lab_shows_the_sample_and_both_scores(course_ws, aisec):
    result = aisec("lab", LAB, cwd=course_ws)
    assert result.code == 1, result.err
    assert "4 attacks shown, 12 more held out; 5 ordinary requests shown." in result.out
    assert "comment-image-exfil (attack, exfiltration)" in result.out
    assert "tag-smuggled-image" not in result.out, "a held-out attack was shown"
    assert "Attacks blocked: 0 of 16 (0%; the lab needs 90%)." in result.out
    assert "Usefulness kept: 12 of 12 (100%; needs 90%)." in result.out
    assert "12 held-out attacks too" in result.out


def test_lab_json_carries_the_sample_and_the_scores(course_ws, aisec):
    result = aisec("lab", LAB, "--json", cwd=course_ws)
    report = json.loads(result.out)
    assert report["held_out_attacks"] == 12
    assert {case["id"] for case in report["sample"]} >= {"comment-image-exfil", "gift-cards"}
    assert all(case["id"] != "tag-smuggled-image" for case in report["sample"])
    scores = {c["score"]["label"]: c["score"] for c in report["checks"] if c["score"]}
    assert scores["attacks blocked"]["got"] == 0 and scores["attacks blocked"]["total"] == 16
    assert "held out (hijack)" in scores["attacks blocked"]["misses"]


def test_an_exercise_is_not_a_lab_and_model_needs_live(course_ws, aisec):
    result = aisec("lab", "mask_secret", cwd=course_ws)
    assert result.code == 2 and "not a defence lab" in result.err and LAB in result.err
    result = aisec("lab", LAB, "--model", "x", cwd=course_ws)
    assert result.code == 2 and "add --live" in result.err


def test_live_without_a_server_says_how_to_start_one(course_ws, aisec, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # the discard port: nothing answers
    result = aisec("lab", LAB, "--live", cwd=course_ws)
    assert result.code == 2 and "No Ollama server answered" in result.err, result.err


def test_live_refuses_a_server_off_this_machine_before_sending(course_ws, aisec, monkeypatch):
    # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never this machine, never reached
    monkeypatch.setenv("OLLAMA_HOST", "http://192.0.2.7:11434")
    result = aisec("lab", LAB, "--live", cwd=course_ws)
    assert result.code != 0 and "Refusing to contact" in result.err, result.err
    assert "--allow-remote" in result.err and "Nothing was sent" in result.err


def test_live_refuses_a_cloud_model_and_allow_remote_needs_live(course_ws, aisec, monkeypatch):
    with FakeOllama() as server:
        monkeypatch.setenv("OLLAMA_HOST", server.host)
        result = aisec("lab", LAB, "--live", "--model", "gpt-oss:120b-cloud", cwd=course_ws)
        chats = [r for r in server.requests if r.path == "/api/chat"]
    assert result.code == 2 and "runs on ollama.com" in result.err, result.err
    assert not chats
    result = aisec("lab", LAB, "--allow-remote", cwd=course_ws)
    assert result.code == 2 and "add --live" in result.err


def test_live_run_is_marked_ungraded_and_records_nothing(course_ws, aisec, monkeypatch):
    lab_file = course_ws / "exercises" / "13_labs" / "retrieval_guard.py"
    lab_file.write_text(lab_file.read_text() + "\n# edited\n")
    before = json.loads(aisec("progress", "--json", cwd=course_ws).out)
    with FakeOllama({"default_reply": "I am a real model, honest."}) as server:
        monkeypatch.setenv("OLLAMA_HOST", server.host)
        result = aisec("lab", LAB, "--live", cwd=course_ws)
        asked = [r.body.get("model") for r in server.requests if r.path == "/api/chat"]
    assert "NOT GRADED, NOT RECORDED" in result.out, result.out + result.err
    assert "Usefulness kept: 0 of 12" in result.out
    assert asked and set(asked) == {"llama3.2:1b"}, "the live run used the server's chat model"
    after = json.loads(aisec("progress", "--json", cwd=course_ws).out)
    assert after == before
    with FakeOllama() as server:
        monkeypatch.setenv("OLLAMA_HOST", server.host)
        result = aisec("lab", LAB, "--live", "--model", "nonesuch", cwd=course_ws)
    assert result.code == 2 and "has no model 'nonesuch'" in result.err
