"""Read-aloud: WAV from espeak-ng against Ogg Opus from opusenc, over every answer that can be read aloud.

    python -m benchmarks.voorlees            # print the figures
    python -m benchmarks.voorlees --report   # also put them in docs/benchmark.{json,md}

Every intent at niveau standaard and eenvoudig, in Dutch and, where the answer file has it, in
English (the 200 KB target is on these), and the professional answers (Dutch only) beside them.
Per answer in one run: espeak-ng's time and WAV bytes, opusenc's time and Opus bytes, and
(when opusdec is installed) the decoded length against the WAV's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from assistant import voorlees
from assistant.answers import all_answers, full_text
from assistant.dialogue import Assistant

from .common import ROOT

NIVEAUS = ("standaard", "eenvoudig")  # what residents hear; the target is on these
EXTRA = ("professional",)  # read aloud as well when a professional asks for it
LANGS = ("nl", "en")
MAIN = "standaard + eenvoudig"


def _children_cpu() -> float:
    """CPU seconds of finished child processes (espeak-ng, opusenc): steadier than wall clock on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _decoded_seconds(ogg: bytes) -> float | None:
    """The length of opusdec's WAV for the stream (an independent decoder), or None without opusdec."""
    exe = shutil.which("opusdec")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.opus", Path(tmp) / "uit.wav"
        src.write_bytes(ogg)
        subprocess.run([exe, "--quiet", str(src), str(out)], check=True, capture_output=True, timeout=60)
        return voorlees.wav_seconds(out.read_bytes())


def _summary(rows: list[dict]) -> dict:
    def med(key):
        return round(statistics.median(r[key] for r in rows), 3)

    def top(key):
        return round(max(r[key] for r in rows), 3)

    out = {
        "answers": len(rows),
        "audio_s_median": med("audio_s"),
        "audio_s_max": top("audio_s"),
        "wav_kb_median": med("wav_kb"),
        "wav_kb_max": top("wav_kb"),
        "speak_s_median": med("speak_s"),
        "speak_s_max": top("speak_s"),
        "speak_cpu_s_median": med("speak_cpu_s"),
        "speak_cpu_s_max": top("speak_cpu_s"),
    }
    if all("opus_kb" in r for r in rows):
        out |= {
            "opus_kb_median": med("opus_kb"),
            "opus_kb_max": top("opus_kb"),
            "encode_s_median": med("encode_s"),
            "encode_s_max": top("encode_s"),
            "encode_cpu_s_median": med("encode_cpu_s"),
            "encode_cpu_s_max": top("encode_cpu_s"),
            "ratio_median": round(statistics.median(r["wav_kb"] / r["opus_kb"] for r in rows), 1),
            "over_target": sum(r["opus_kb"] * 1000 > voorlees.TARGET_BYTES for r in rows),
        }
        diffs = [abs(r["decoded_s"] - r["audio_s"]) for r in rows if r.get("decoded_s") is not None]
        if diffs:
            out["decoded_max_diff_s"] = round(max(diffs), 4)
    return out


def measure(log=print) -> dict | None:
    """None without espeak-ng. Sizes in KB of 1000 bytes, times in seconds of wall clock."""
    if not voorlees.available():
        return None
    assistant = Assistant.load()
    opus = voorlees.encoder() is not None
    rows = []
    for intent, niveau, answer in all_answers(assistant.book, assistant.intents, NIVEAUS + EXTRA, LANGS):
        text = full_text(answer)
        started, cpu = time.perf_counter(), _children_cpu()
        wav = voorlees.synthesise(text, answer.lang)
        row = {
            "intent": intent,
            "niveau": niveau,
            "lang": answer.lang,
            "chars": len(text),
            "speak_s": time.perf_counter() - started,
            "speak_cpu_s": _children_cpu() - cpu,
            "wav_kb": len(wav) / 1000,
            "audio_s": voorlees.wav_seconds(wav),
        }
        if opus:
            started, cpu = time.perf_counter(), _children_cpu()
            ogg = voorlees.encode_opus(wav)
            row |= {
                "encode_s": time.perf_counter() - started,
                "encode_cpu_s": _children_cpu() - cpu,
                "opus_kb": len(ogg) / 1000,
                "decoded_s": _decoded_seconds(ogg),
            }
        rows.append(row)
    sets = {MAIN: [r for r in rows if r["niveau"] in NIVEAUS]}
    for niveau in NIVEAUS + EXTRA:
        for lang in LANGS:
            part = [r for r in rows if r["niveau"] == niveau and r["lang"] == lang]
            if part:
                sets[f"{niveau} {lang}"] = part
    largest = max(sets[MAIN], key=lambda r: r["wav_kb"])
    out = {
        "date": dt.date.today().isoformat(),
        "opus": opus,
        "settings": {
            "kbit": voorlees.OPUS["kbit"],
            "speech": bool(voorlees.OPUS.get("speech")),
            "speed_wpm": voorlees.SPEED,
            "target_kb": voorlees.TARGET_BYTES / 1000,
        },
        "tools": _versions(),
        "sets": {name: _summary(part) for name, part in sets.items()},
        "largest": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in largest.items()},
    }
    for name, s in out["sets"].items():
        log(
            f"  {name:>14}: {s['answers']:>2} answers, WAV median {s['wav_kb_median']} KB (max {s['wav_kb_max']}), "
            + (
                f"Opus median {s['opus_kb_median']} KB (max {s['opus_kb_max']}), encode median "
                f"{s['encode_s_median']} s ({s['encode_cpu_s_median']} s CPU)"
                if opus
                else "no opusenc"
            )
        )
    return out


def _versions() -> dict:
    out = {}
    for name, args in (("espeak-ng", ["--version"]), ("opusenc", ["--version"])):
        exe = voorlees.engine() if name == "espeak-ng" else voorlees.encoder()
        if exe:
            done = subprocess.run([exe, *args], capture_output=True, text=True, timeout=10)
            out[name] = (done.stdout.strip().splitlines() or [""])[0].split("  Data at")[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--report",
        action="store_true",
        help="write the figures into docs/benchmark.json and render docs/benchmark.md again",
    )
    args = parser.parse_args()
    result = measure()
    if result is None:
        raise SystemExit("espeak-ng is not installed: nothing to measure")
    if args.report:
        from .report import markdown
        from .targets import TARGETS

        docs = ROOT / "docs"
        r = json.loads((docs / "benchmark.json").read_text(encoding="utf-8"))
        r["voorlees"] = result | {"separate_run": True}  # not part of the make bench run the rest is from
        (docs / "benchmark.json").write_text(json.dumps(r, indent=1), encoding="utf-8")
        (docs / "benchmark.md").write_text(markdown(r, TARGETS), encoding="utf-8")
    else:
        print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
