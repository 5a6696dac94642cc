"""Misses are kept only after de-identification, for a limited time, and can be switched off."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from assistant import deidentify
from assistant.gemist import MissLog, scrubber_for
from knowledge.text import fold
from web.main import main

CASES = [
    ("mail mij op jan.jansen@example.nl", "jan.jansen@example.nl"),
    ("mijn iban is NL91ABNA0417164300", "0417164300"),
    ("mijn bsn is 123456782", "123456782"),
    ("bel me op 06-12345678", "12345678"),
    ("bel me op +31 30 123 4567", "123 4567"),
    ("ik ben geboren op 12-03-1970", "12-03-1970"),
    ("ik ben geboren op 3 maart 1958", "1958"),
    ("ik woon op Kanaalstraat 12", "Kanaalstraat 12"),
    ("mijn postcode is 3563 AB", "3563 AB"),
]


@pytest.mark.parametrize("text,secret", CASES)
def test_patterns_remove_each_kind(text, secret):
    assert secret not in deidentify.scrub(text)


def test_postcode_kept_as_pc4_only():
    assert "3563" in deidentify.patterns_only("postcode 3563 AB") and "AB" not in deidentify.patterns_only("3563 AB")


def test_dutch_names_removed():
    out = deidentify.scrub("Hallo, ik ben Fatima el Amrani en mijn buurman Piet de Vries helpt mij niet")
    assert "Fatima" not in out and "Amrani" not in out and "Piet" not in out and "Vries" not in out


PLANTED = sorted((Path(__file__).parent / "data" / "privacy").glob("*.jsonl"))


def planted_left(text: str, planted: list[dict], scrubbed: str) -> list[str]:
    """The planted identifiers still readable in the scrubbed text."""
    left = []
    folded = fold(scrubbed)
    for p in planted:
        value = p["waarde"]
        if p["soort"] == "postcode":
            letters = re.sub(r"\s", "", value)[4:]
            found = re.search(r"\b\d{4}\s?" + re.escape(letters) + r"\b", scrubbed, re.I)
        elif p["soort"] == "huisnummer":
            found = re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", scrubbed)
        elif any(ch.isdigit() for ch in value):
            digits = re.sub(r"\D", "", value)
            found = len(digits) >= 3 and digits in re.sub(r"\D", "", scrubbed)
        else:
            found = re.search(r"(?<!\w)" + re.escape(fold(value)) + r"(?!\w)", folded)
        if found:
            left.append(f"{p['soort']} {value!r}")
    return left


@pytest.fixture(scope="module")
def scrubber(kb):
    return scrubber_for(kb)


@pytest.mark.parametrize("path", PLANTED, ids=lambda p: p.stem)
def test_no_planted_personal_data_survives(scrubber, path):
    """Messages with planted personal data of every kind, written apart from the de-identifier
    (apart*.jsonl held out: never tuned on)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 90
    left = {
        row["tekst"][:60]: found
        for row in rows
        if (found := planted_left(row["tekst"], row["geplant"], scrubber.scrub(row["tekst"])))
    }
    assert left == {}


def test_ordinary_messages_keep_their_words(scrubber):
    """Training examples hold no personal data: nearly all their words must stay, or the log is useless."""
    examples = []
    for f in sorted((Path(__file__).parent.parent / "intents" / "data").glob("*.yml")):
        examples += (yaml.safe_load(f.read_text(encoding="utf-8")).get("voorbeelden") or [])[:8]
    kept = total = 0
    for text in examples:
        out = set(re.findall(r"\w+", scrubber.scrub(text)))
        words = re.findall(r"\w+", text)
        total += len(words)
        kept += sum(w in out for w in words)
    assert total > 1000 and kept / total >= 0.95


def test_miss_log_keeps_only_scrubbed_text_and_expires(tmp_path):
    log = MissLog(tmp_path / "gemist.jsonl", days=30)
    log.record("ik ben Jan Jansen, bel 0612345678, ik zoek hulp bij de boodschappen", "buiten_bereik", 0.1)
    log.flush()
    raw = (tmp_path / "gemist.jsonl").read_text(encoding="utf-8")
    assert "Jansen" not in raw and "0612345678" not in raw and "hulp bij de boodschappen" in raw
    old = {
        "datum": (dt.date.today() - dt.timedelta(days=31)).isoformat(),
        "intent": "x",
        "confidence": 0.1,
        "tekst": "oud",
    }
    with (tmp_path / "gemist.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(old) + "\n")
    assert [r["tekst"] for r in log.entries()] != [] and all(r["tekst"] != "oud" for r in log.entries())
    assert "oud" not in (tmp_path / "gemist.jsonl").read_text(encoding="utf-8")


def test_deidentification_runs_outside_the_server_process(tmp_path):
    """The word lists load in the worker process only; a full queue drops and counts."""
    script = f"""
import sys
from assistant.gemist import MissLog
log = MissLog({str(tmp_path / "g.jsonl")!r}, days=30)
log.QUEUE = 2
for n in range(20):
    log.record("ik ben Jan Jansen en zoek hulp", "buiten_bereik", 0.1)
log.flush()
assert "deduce" not in sys.modules and "wordfreq" not in sys.modules, "loaded in the server process"
print(log.dropped)
log.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dropped = int(done.stdout.split()[-1])
    lines = (tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()
    assert dropped >= 10 and len(lines) == 20 - dropped
    assert all("Jansen" not in line and "hulp" in line for line in lines)


def test_assistant_logs_misses_only_when_on(assistant, tmp_path, monkeypatch):
    log = MissLog(tmp_path / "g.jsonl")
    monkeypatch.setattr(assistant, "misses", log)
    assistant.reply("flurp glorp snerp")
    log.flush()
    assert (tmp_path / "g.jsonl").exists()
    assistant.reply("hoe laat gaat het zwembad open")  # outside the social domain: also a miss
    log.flush()
    assert [r["intent"] for r in log.entries()][-1] == "buiten_bereik"
    monkeypatch.setattr(assistant, "misses", None)  # BUURTWIJZER_GEMIST=off
    assistant.reply("zork zork zork")
    assert "zork" not in (tmp_path / "g.jsonl").read_text(encoding="utf-8")


def test_gemist_command_groups_by_intent(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("BUURTWIJZER_VAR", str(tmp_path))
    (tmp_path / "gemist.jsonl").write_text(
        json.dumps(
            {
                "datum": dt.date.today().isoformat(),
                "intent": "vervoer",
                "confidence": 0.2,
                "tekst": "[PERSOON-1] wil met de bus",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["gemist"])
    assert result.exit_code == 0 and "vervoer (1)" in result.output


def test_sessions_expire_and_hold_no_text(monkeypatch):
    import time as _time

    from assistant.session import MemorySessionStore

    monkeypatch.setenv("BUURTWIJZER_SESSIE_MINUTEN", "1")
    store = MemorySessionStore()
    assert store.ttl == 60
    s = store.get(None)
    s.topic = "geldzorgen"
    store.save(s)
    assert store.get(s.id).topic == "geldzorgen"
    monkeypatch.setattr(_time, "time", lambda: s.updated + 61)
    assert store.get(s.id).topic is None
    assert set(s.to_dict()) == {
        "id",
        "niveau",
        "wijk",
        "topic",
        "pending",
        "options",
        "misses",
        "updated",
        "check_kind",
        "check_topic",
        "check_lang",
        "lang",
        "lang_chosen",
        "niveau_chosen",
    }
