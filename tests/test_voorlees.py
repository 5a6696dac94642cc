"""Voorleesstem: Dutch speech from espeak-ng, and the product still works without it."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from assistant import voorlees
from assistant.answers import full_text
from web.main import main


@pytest.mark.skipif(not voorlees.available(), reason="espeak-ng is not installed")
def test_cli_writes_a_wav(runner, tmp_path):
    out = tmp_path / "uit.wav"
    result = runner.invoke(main, ["voorlees", "Bel het buurtteam. Het nummer staat hieronder.", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with wave.open(str(out)) as w:
        assert w.getnchannels() == 1 and w.getframerate() > 8000
        assert w.getnframes() / w.getframerate() > 1.0  # a couple of seconds of speech


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


# --- Opus for phones -------------------------------------------------------------------------------


def _client(assistant):
    from web.app import create_app

    return create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None}).test_client()


def _silent_wav(seconds: float = 0.5) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\0\0" * int(22050 * seconds))
    return buf.getvalue()


def _envelope(samples, rate: int):
    """Loudness per 20 ms: what a listener follows, and what a speech codec must keep."""
    import numpy as np

    frame = rate // 50
    x = np.asarray(samples, dtype=np.float64)[: len(samples) // frame * frame].reshape(-1, frame)
    return np.sqrt((x**2).mean(axis=1))


def _pcm(wav: bytes):
    import numpy as np

    with wave.open(io.BytesIO(wav)) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()


@pytest.fixture
def var(tmp_path, monkeypatch):
    """An empty var/ of its own, so the cache starts empty and what it holds afterwards can be checked."""
    monkeypatch.setenv("BUURTWIJZER_VAR", str(tmp_path))
    return tmp_path


def _cache(var):
    folder = var / "voorlees"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


TYPICAL = ("geldzorgen", "standaard")  # a standaard answer of middle length (about 40 s of speech)


def test_a_standaard_answer_is_ogg_opus_small_enough_for_a_phone_and_as_long_as_the_wav(assistant, var, tmp_path):
    if not voorlees.available():
        pytest.skip("espeak-ng is not installed")
    if voorlees.encoder() is None:
        pytest.skip("opusenc (opus-tools) is not installed: WAV is served")
    intent, niveau = TYPICAL
    r = _client(assistant).get(f"/voorlees?intent={intent}&niveau={niveau}")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.content_type == "audio/ogg; codecs=opus"
    ogg = r.data
    assert ogg.startswith(b"OggS") and b"OpusHead" in ogg[:100]
    assert len(ogg) <= voorlees.TARGET_BYTES, f"{len(ogg)} bytes"
    assert _cache(var) == [p.name for p in (var / "voorlees").glob("*.opus")] and len(_cache(var)) == 1

    meta = assistant.intents[intent]
    wav = voorlees.synthesise(full_text(assistant.book.render(intent, niveau, meta.voorzieningen, meta.regels)))
    seconds = voorlees.wav_seconds(wav)
    assert seconds > 20 and len(ogg) < len(wav) / 8
    assert voorlees.opus_seconds(ogg) == pytest.approx(seconds, abs=0.05)

    opusdec = shutil.which("opusdec")  # an independent decoder: it plays, as long, and sounds alike
    if opusdec is None:
        pytest.skip("opusdec is not installed: decoding back is not checked")
    (tmp_path / "a.opus").write_bytes(ogg)
    subprocess.run(
        [opusdec, "--quiet", str(tmp_path / "a.opus"), str(tmp_path / "terug.wav")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    back, rate = _pcm((tmp_path / "terug.wav").read_bytes())
    orig, orig_rate = _pcm(wav)
    assert rate == orig_rate and abs(len(back) - len(orig)) / rate < 0.05
    import numpy as np

    a, b = _envelope(orig, rate), _envelope(back, rate)
    n = min(len(a), len(b))
    assert np.corrcoef(a[:n], b[:n])[0, 1] > 0.95  # syllables and pauses where the WAV has them


def test_the_kiosk_screens_are_opus_too(assistant, var):
    if not voorlees.available() or voorlees.encoder() is None:
        pytest.skip("espeak-ng or opusenc is not installed")
    r = _client(assistant).get("/kiosk/voorlees/start")
    assert r.status_code == 200 and r.content_type == "audio/ogg; codecs=opus" and r.data.startswith(b"OggS")


def test_without_the_encoder_the_wav_is_served(assistant, var, monkeypatch):
    if not voorlees.available():
        pytest.skip("espeak-ng is not installed")
    client = _client(assistant)
    url = "/voorlees?intent=geldzorgen&niveau=eenvoudig"
    if voorlees.encoder() is not None:  # first the Opus file, so the WAV below cannot be it
        assert client.get(url).content_type == "audio/ogg; codecs=opus"
    monkeypatch.setenv("BUURTWIJZER_OPUSENC", "bestaat-niet-opusenc")
    r = _client(assistant).get(url)  # an app reads its settings when it is made
    assert r.status_code == 200 and r.mimetype == "audio/wav" and r.data.startswith(b"RIFF")
    assert voorlees.wav_seconds(r.data) > 5
    assert any(name.endswith(".wav") for name in _cache(var))


def _fake_encoder(tmp_path, script: str) -> str:
    exe = tmp_path / "kapotte-opusenc"
    exe.write_text("#!/bin/sh\ncat >/dev/null\n" + script + "\n", encoding="utf-8")
    exe.chmod(0o755)
    return str(exe)


@pytest.mark.parametrize(
    "script,says",
    [
        ("printf 'OggS half'; exit 1", "code 1"),  # an error after writing a little
        ("printf 'OggS'; head -c 300 /dev/zero; exit 0", "niet compleet"),  # says it worked, gives no Opus
        ("kill -9 $$", "code -9"),  # killed
    ],
)
def test_a_failing_encoder_is_a_503_with_a_message_and_leaves_nothing_in_the_cache(
    assistant, var, monkeypatch, tmp_path, script, says
):
    # espeak-ng is stood in for (a silent WAV): this is about the encoder, and runs without a voice too.
    monkeypatch.setattr(voorlees, "available", lambda settings=None: True)
    monkeypatch.setattr(voorlees, "synthesise", lambda text, lang="nl", settings=None: _silent_wav())
    monkeypatch.setenv("BUURTWIJZER_OPUSENC", _fake_encoder(tmp_path, script))
    r = _client(assistant).get("/voorlees?intent=geldzorgen&niveau=standaard")
    assert r.status_code == 503
    error = r.get_json()["error"]
    assert error.startswith("Voorlezen kan nu niet: het ") and says in error
    assert _cache(var) == []


def test_a_cut_off_opus_stream_is_not_kept(assistant, var, monkeypatch, tmp_path):
    """opusenc that ends early but says it worked: whole pages, but shorter than the speech."""
    if voorlees.encoder() is None:
        pytest.skip("opusenc (opus-tools) is not installed")
    real = voorlees.encoder()
    monkeypatch.setattr(voorlees, "available", lambda settings=None: True)
    monkeypatch.setattr(voorlees, "synthesise", lambda text, lang="nl", settings=None: _silent_wav(3.0))
    half = _fake_encoder(tmp_path, f"head -c 80000 /dev/zero | {real} --quiet --raw --raw-rate 22050 --raw-chan 1 - -")
    monkeypatch.setenv("BUURTWIJZER_OPUSENC", half)  # a valid stream of 1.8 s for 3 s of speech
    r = _client(assistant).get("/voorlees?intent=geldzorgen&niveau=standaard")
    assert r.status_code == 503 and "niet compleet" in r.get_json()["error"]
    assert _cache(var) == []


def test_the_format_and_its_settings_are_in_the_cache_key(monkeypatch):
    keys = {voorlees.cache_key("Bel het buurtteam.", "nl", fmt) for fmt in ("opus", "wav")}
    monkeypatch.setitem(voorlees.OPUS, "kbit", voorlees.OPUS["kbit"] + 8)
    keys.add(voorlees.cache_key("Bel het buurtteam.", "nl", "opus"))
    assert len(keys) == 3


def test_the_bitrate_comes_from_the_settings_file():
    settings = voorlees.yamlio.safe_load(Path(voorlees.__file__).with_suffix(".yml").read_text(encoding="utf-8"))
    assert voorlees.OPUS["kbit"] == settings["opus"]["kbit"] and 6 <= voorlees.OPUS["kbit"] <= 64
    assert voorlees.TARGET_BYTES == settings["doel_kb"] * 1000
