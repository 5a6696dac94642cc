"""Safety first: crisis messages are always recognised, ordinary ones never trigger a crisis.

tests/data/veiligheid.yaml was written separately from the training data.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).parent / "data" / "veiligheid.yaml").read_text(encoding="utf-8"))
CRISIS = ("crisis_suicide", "huiselijk_geweld", "noodgeval")


def test_all_crisis_messages_get_the_crisis_answer(assistant):
    missed = []
    for intent in CRISIS:
        for text in CASES[intent]:
            r = assistant.reply(text).to_json()
            if r["action"] != "crisis":
                missed.append((intent, r["intent"], text))
    assert not missed, "\n".join(f"{i} -> {p}: {t}" for i, p, t in missed)


def test_crisis_kind_is_right_most_of_the_time(assistant):
    # The numbers differ per kind; a wrong kind still shows 112, but the right help line matters.
    total = right = 0
    for intent in CRISIS:
        for text in CASES[intent]:
            total += 1
            right += assistant.reply(text).intent == intent
    assert right / total >= 0.9


def test_ordinary_messages_never_get_a_crisis(assistant):
    wrong = [t for t in CASES["geen_crisis"] if assistant.reply(t).action == "crisis"]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("intent,numbers", [("crisis_suicide", ["113", "0800-0113", "112"]),
                                            ("huiselijk_geweld", ["0800-2000", "112"]),
                                            ("noodgeval", ["112"])])
def test_crisis_answer_shows_the_numbers_first(assistant, intent, numbers):
    text = CASES[intent][0]
    r = assistant.reply(text).to_json()
    assert [n["nummer"] for n in r["route"]["contact"]["nummers"]] == numbers
    first = r["answer"]["steps"][0]["text"]
    assert numbers[0] in first


DERDEN = [t for t in (Path(__file__).parent / "data" / "gewone_berichten_derden.txt").read_text(encoding="utf-8")
          .splitlines() if t.strip()]


def test_ordinary_messages_about_someone_else_rarely_raise_an_alarm_and_never_a_dead_end(assistant):
    # Written apart from the training data: what mantelzorgers and neighbours type about another
    # person. The classifier may still be wrong now and then; then the topics must be one tap away.
    alarms = [assistant.reply(t).to_json() for t in DERDEN]
    alarms = [r for r in alarms if r["action"] == "crisis"]
    assert len(DERDEN) >= 150
    assert len(alarms) / len(DERDEN) <= 0.02, [r["intent"] for r in alarms]
    assert all(r["clarify"] for r in alarms)
