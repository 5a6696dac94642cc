"""Read answers aloud in Dutch or English with espeak-ng, served as Opus in Ogg (opusenc) or WAV.

Only answer texts are cached on disk (they contain nothing a resident typed). A standaard answer is
about 1.8 MB as WAV and 130 KB as Opus (medians, docs/benchmark.md), so Opus is served whenever
opusenc is installed; WAV is the fallback without it. Without espeak-ng everything else keeps working
and `available()` says so.
Speed, bitrate and limits are in voorlees.yml; the voice and the programs are settings
(BUURTWIJZER_STEM, BUURTWIJZER_ESPEAK, BUURTWIJZER_OPUSENC), passed to each function.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from knowledge import config, yamlio
from knowledge.settings import Settings

SETTINGS = yamlio.safe_load((Path(__file__).parent / "voorlees.yml").read_text(encoding="utf-8"))
SPEED = int(SETTINGS["snelheid"])
MAX_CHARS = int(SETTINGS["max_tekens"])
TIMEOUT = float(SETTINGS["seconden"])
OPUS = SETTINGS["opus"]
TARGET_BYTES = int(SETTINGS["doel_kb"]) * 1000

# format -> (file suffix in the cache, Content-Type)
FORMATS = {"opus": (".opus", "audio/ogg; codecs=opus"), "wav": (".wav", "audio/wav")}
MIMETYPES = dict(FORMATS.values())
OPUS_RATE = 48000  # Ogg Opus counts time in 48 kHz samples, whatever the input's rate


class VoorleesFout(RuntimeError):
    pass


def voice(lang: str, settings: Settings | None = None) -> str:
    """The espeak-ng voice for an answer language: the Dutch one is a setting, English is `en`."""
    dutch = (settings or Settings.load()).stem
    return {"nl": dutch, "en": "en"}.get(lang, dutch)


def engine(settings: Settings | None = None) -> str | None:
    return shutil.which((settings or Settings.load()).espeak)


def encoder(settings: Settings | None = None) -> str | None:
    """opusenc (Debian's opus-tools), or None: then read-aloud serves WAV."""
    return shutil.which((settings or Settings.load()).opusenc)


def available(settings: Settings | None = None) -> bool:
    return engine(settings) is not None


def audio_format(settings: Settings | None = None) -> str:
    return "opus" if encoder(settings) is not None else "wav"


def mimetype(path) -> str:
    """The Content-Type of a cached file, from its suffix."""
    return MIMETYPES.get(Path(path).suffix, "application/octet-stream")


def synthesise(text: str, lang: str = "nl", settings: Settings | None = None) -> bytes:
    """WAV bytes for the text, in the voice of its language."""
    settings = settings or Settings.load()
    exe = engine(settings)
    if exe is None:
        raise VoorleesFout("Voorlezen kan nu niet: espeak-ng is niet geïnstalleerd.")
    text = " ".join(text.split())[:MAX_CHARS]
    if not text:
        raise VoorleesFout("Er is geen tekst om voor te lezen.")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "spraak.wav"
        try:
            # Text goes in on stdin, so nothing in it can be read as an option.
            subprocess.run(
                [exe, "-v", voice(lang, settings), "-s", str(SPEED), "-w", str(out), "--stdin"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT,
                check=True,
            )
            audio = out.read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise VoorleesFout(f"Voorlezen is mislukt: {exc}") from None
    if not audio.startswith(b"RIFF") or len(audio) <= 44:
        raise VoorleesFout("Voorlezen gaf geen geluid.")
    return audio


def wav_seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as w:
        return w.getnframes() / w.getframerate()


def opus_seconds(ogg: bytes) -> float:
    """Playing time of an Ogg Opus stream, walked page by page: the last granule position minus the
    pre-skip in OpusHead. ValueError when a page is cut off or the stream is not Opus."""
    pos, granule, pre_skip = 0, 0, None
    while pos < len(ogg):
        if ogg[pos : pos + 4] != b"OggS" or pos + 27 > len(ogg):
            raise ValueError(f"no Ogg page at byte {pos}")
        segments = ogg[pos + 26]
        table = ogg[pos + 27 : pos + 27 + segments]
        size = 27 + segments + sum(table)
        if len(table) < segments or pos + size > len(ogg):
            raise ValueError(f"the Ogg page at byte {pos} is cut off")
        if pre_skip is None:
            body = ogg[pos + 27 + segments : pos + size]
            if not body.startswith(b"OpusHead") or len(body) < 19:
                raise ValueError("the first Ogg page has no OpusHead")
            pre_skip = int.from_bytes(body[10:12], "little")
        granule = int.from_bytes(ogg[pos + 6 : pos + 14], "little", signed=True)
        pos += size
    if pre_skip is None:
        raise ValueError("empty")
    return max(granule - pre_skip, 0) / OPUS_RATE


def _opus_args() -> list[str]:
    """What opusenc is asked for (no tags to add later, so no padding); part of the cache key."""
    return ["--bitrate", str(OPUS["kbit"]), *(["--speech"] if OPUS.get("speech") else []), "--padding", "0"]


def encode_opus(wav: bytes, settings: Settings | None = None) -> bytes:
    """Ogg Opus bytes for WAV bytes, all in memory (stdin to stdout): nothing half-made on disk."""
    exe = encoder(settings)
    if exe is None:
        raise VoorleesFout("Voorlezen kan nu niet: opusenc is niet geïnstalleerd.")
    try:
        done = subprocess.run(
            [exe, "--quiet", *_opus_args(), "-", "-"], input=wav, capture_output=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise VoorleesFout(f"Voorlezen kan nu niet: het geluid omzetten duurde langer dan {TIMEOUT:g} s.") from None
    except OSError as exc:
        raise VoorleesFout(f"Voorlezen kan nu niet: het geluid kon niet worden omgezet ({exc.strerror}).") from None
    if done.returncode != 0:
        raise VoorleesFout(
            f"Voorlezen kan nu niet: het geluid kon niet worden omgezet (opusenc stopte met code {done.returncode})."
        )
    audio = done.stdout
    try:  # whole pages, Opus, and as long as the speech: a cut-off stream is never kept
        complete = abs(opus_seconds(audio) - wav_seconds(wav)) <= 0.05
    except (ValueError, wave.Error, EOFError):
        complete = False
    if not complete:
        raise VoorleesFout("Voorlezen kan nu niet: het omgezette geluid is niet compleet.")
    return audio


def cache_key(text: str, lang: str, fmt: str, settings: Settings | None = None) -> str:
    """Voice, speed, format and the format's settings are in the key: a change never serves an old file."""
    fmt_settings = "|".join(_opus_args()) if fmt == "opus" else ""
    return hashlib.sha256(f"{voice(lang, settings)}|{SPEED}|{fmt}|{fmt_settings}|{text}".encode()).hexdigest()[:32]


def cached(text: str, lang: str = "nl", fmt: str | None = None, settings: Settings | None = None) -> Path:
    """The speech for an answer text (Opus when opusenc is installed, else WAV), made once and kept
    in var/voorlees/; `mimetype(path)` gives its Content-Type.

    Each writer has its own temporary file (several first requests for one answer may come at
    once), and the finished file appears in one step; a full disk or a failing encoder leaves
    nothing behind."""
    settings = settings or Settings.load()
    fmt = "wav" if fmt == "wav" else audio_format(settings)  # WAV on request: a browser that cannot play Opus
    key = cache_key(text, lang, fmt, settings)
    folder = config.var_dir(settings) / "voorlees"
    path = folder / f"{key}{FORMATS[fmt][0]}"
    if path.exists():
        return path
    audio = synthesise(text, lang, settings=settings)
    if fmt == "opus":
        audio = encode_opus(audio, settings=settings)
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
