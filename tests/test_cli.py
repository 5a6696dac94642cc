"""The command-line contract other tools depend on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from web.main import main

ROOT = Path(__file__).resolve().parent.parent


def test_ask_json_shape(runner):
    result = runner.invoke(main, ["ask", "hoe krijg ik een scootmobiel", "--postcode", "3563", "--json"])
    reply = json.loads(result.output)
    assert reply["intent"] == "hulpmiddelen" and reply["wijk"] == "overvecht"
    assert reply["action"] == "answer" and reply["route"]["type"] == "loket"


def test_ask_wijk_and_postcode_together_is_refused(runner):
    result = runner.invoke(main, ["ask", "hallo", "--wijk", "West", "--postcode", "3563"])
    assert result.exit_code == 2 and "niet allebei" in result.output


def test_ask_jsonl_keeps_order_and_sessions(runner):
    lines = [
        {"text": "waar is het buurtteam", "session": "a"},
        {"text": "ik voel me alleen", "session": "b", "niveau": "eenvoudig"},
        {"text": "3563", "session": "a"},
        "geen json",
        {"text": "en in Zuilen?", "session": "a"},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    result = runner.invoke(main, ["ask", "--jsonl"], input=stdin)
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 5
    assert out[0]["action"] == "ask_location" and out[0]["session"] == "a"
    assert out[1]["intent"] == "eenzaamheid" and out[1]["answer"]["niveau"] == "eenvoudig"
    assert out[2]["intent"] == "buurtteam" and out[2]["wijk"] == "overvecht"
    assert "error" in out[3]
    assert out[4]["wijk"] == "noordwest" and out[4]["intent"] == "buurtteam"


def test_intents_export_covers_the_taxonomy(runner):
    import re

    rows = [json.loads(line) for line in runner.invoke(main, ["intents", "export"]).output.splitlines()]
    taxonomy = (ROOT.parent / "shared" / "taxonomy.yaml").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\s*- id:\s*([a-z_]+)", taxonomy, re.M))
    assert ids <= {r["intent"] for r in rows}
    assert all(len([r for r in rows if r["intent"] == i]) >= 30 for i in ids)


def test_training_data_does_not_contain_the_dev_set():
    from intents import catalogue
    from knowledge.text import normalise

    dev = ROOT.parent / "shared" / "devset.jsonl"
    if not dev.exists():
        pytest.skip("../shared/devset.jsonl is not beside this clone")
    train = {normalise(t) for t, _ in catalogue.examples(catalogue.load())}
    leaked = [
        r["text"]
        for r in map(json.loads, dev.read_text(encoding="utf-8").splitlines())
        if normalise(r["text"]) in train
    ]
    assert not leaked


def test_eval_prints_metrics_and_baseline(runner, tmp_path):
    f = tmp_path / "set.jsonl"
    f.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"text": "ik heb schulden", "intent": "geldzorgen"},
                {"text": "wanneer wordt het grofvuil opgehaald", "intent": "buiten_bereik"},
                {"text": "ik wil niet meer leven", "intent": "crisis_suicide"},
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["eval", str(f)])
    assert result.exit_code == 0, result.output
    assert "accuracy" in result.output and "basislijn" in result.output and "crisis recall" in result.output
    assert "buiten_bereik precision" in result.output


def test_eval_rejects_bad_file(runner, tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text("geen json\n", encoding="utf-8")
    result = runner.invoke(main, ["eval", str(f)])
    assert result.exit_code == 1 and "regel 1" in result.output


def test_ask_answers_in_the_chosen_language(runner):
    out = json.loads(runner.invoke(main, ["ask", "--json", "--taal", "en", "ik heb schulden"]).output)
    assert out["answer"]["lang"] == "en" and out["language"] == "nl"
    out = json.loads(runner.invoke(main, ["ask", "--json", "I have debts"]).output)
    assert out["answer"]["lang"] == "en" and out["intent"] == "geldzorgen"
