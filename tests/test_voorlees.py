"""Voorleesstem: Dutch speech from espeak-ng, and the product still works without it."""
from __future__ import annotations

import wave

import pytest

from assistant import voorlees
from assistant.cli import main


@pytest.mark.skipif(not voorlees.available(), reason="espeak-ng is not installed")
def test_cli_writes_a_wav(runner, tmp_path):
    out = tmp_path / "uit.wav"
    result = runner.invoke(main, ["voorlees", "Bel het buurtteam. Het nummer staat hieronder.", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with wave.open(str(out)) as w:
        assert w.getnchannels() == 1 and w.getframerate() > 8000
        assert w.getnframes() / w.getframerate() > 1.0   # a couple of seconds of speech


def test_missing_espeak_is_a_clear_message(runner, monkeypatch):
    monkeypatch.setenv("BUURTWIJZER_ESPEAK", "bestaat-niet-espeak")
    result = runner.invoke(main, ["voorlees", "hallo"])
    assert result.exit_code == 1
    assert "espeak-ng is niet geïnstalleerd" in result.output


def test_chat_works_without_espeak(assistant, monkeypatch):
    monkeypatch.setenv("BUURTWIJZER_ESPEAK", "bestaat-niet-espeak")
    assert assistant.reply("ik voel me alleen").action in ("answer", "clarify")


def test_text_starting_with_a_dash_is_spoken_not_parsed(tmp_path):
    if not voorlees.available():
        pytest.skip("espeak-ng is not installed")
    assert voorlees.synthesise("--help is geen optie").startswith(b"RIFF")


def test_english_is_spoken_with_the_english_voice(monkeypatch):
    if not voorlees.available():
        pytest.skip("espeak-ng is not installed")
    calls = []
    real = voorlees.subprocess.run

    def spy(args, **kwargs):
        calls.append(args)
        return real(args, **kwargs)
    monkeypatch.setattr(voorlees.subprocess, "run", spy)
    assert voorlees.synthesise("Call the buurtteam.", "en").startswith(b"RIFF")
    assert calls[0][calls[0].index("-v") + 1] == "en"
