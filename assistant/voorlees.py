"""Read answers aloud in Dutch or English with espeak-ng (a WAV file the web page can play).

Only answer texts are cached on disk (they contain nothing a resident typed).
Without espeak-ng everything else keeps working and `available()` says so.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from knowledge import config

VOICE = os.environ.get("BUURTWIJZER_STEM", "nl")
VOICES = {"nl": VOICE, "en": "en"}   # espeak-ng voices per answer language
SPEED = 140          # words per minute: a little slower than the default for easy listening
MAX_CHARS = 3000


class VoorleesFout(RuntimeError):
    pass


def engine() -> str | None:
    return shutil.which(os.environ.get("BUURTWIJZER_ESPEAK", "espeak-ng"))


def available() -> bool:
    return engine() is not None


def synthesise(text: str, lang: str = "nl") -> bytes:
    """WAV bytes for the text, in the voice of its language."""
    exe = engine()
    if exe is None:
        raise VoorleesFout("Voorlezen kan nu niet: espeak-ng is niet geïnstalleerd.")
    text = " ".join(text.split())[:MAX_CHARS]
    if not text:
        raise VoorleesFout("Er is geen tekst om voor te lezen.")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "spraak.wav"
        try:
            # Text goes in on stdin, so nothing in it can be read as an option.
            subprocess.run([exe, "-v", VOICES.get(lang, VOICE), "-s", str(SPEED), "-w", str(out), "--stdin"],
                           input=text.encode("utf-8"), capture_output=True, timeout=30, check=True)
            audio = out.read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise VoorleesFout(f"Voorlezen is mislukt: {exc}") from None
    if not audio.startswith(b"RIFF") or len(audio) <= 44:
        raise VoorleesFout("Voorlezen gaf geen geluid.")
    return audio


def cached(text: str, lang: str = "nl") -> Path:
    """The WAV for an answer text, made once and kept in var/voorlees/.

    Each writer has its own temporary file (several first requests for one answer may come at
    once), and the finished file appears in one step; a full disk leaves nothing behind."""
    key = hashlib.sha256(f"{VOICES.get(lang, VOICE)}|{SPEED}|{text}".encode()).hexdigest()[:32]
    folder = config.var_dir() / "voorlees"
    path = folder / f"{key}.wav"
    if path.exists():
        return path
    audio = synthesise(text, lang)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{key}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(audio)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise VoorleesFout(f"Voorlezen kan nu niet: het geluid kon niet worden bewaard ({exc.strerror}).") from None
    return path
