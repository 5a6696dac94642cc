"""Plain language is measured: every answer at every niveau passes `buurtwijzer leesbaarheid`."""

from __future__ import annotations

import json

import pytest

from assistant import leesbaarheid
from web import pictogrammen
from web.main import main


def test_every_answer_passes(runner):
    result = runner.invoke(main, ["leesbaarheid"])
    assert result.exit_code == 0, result.output
    assert " 0 fout" in result.output


def test_every_intent_has_an_answer_file(assistant):
    assert set(assistant.intents) == set(assistant.book.data)


def test_an_answer_without_one_of_its_three_levels_is_refused(tmp_path):
    from assistant import answers
    from knowledge.schema import DataError

    source = answers.ANSWERS_DIR / "geldzorgen.yml"
    (tmp_path / "geldzorgen.yml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert "geldzorgen" in answers.load(tmp_path)  # the copy itself is fine
    text = source.read_text(encoding="utf-8").replace("\nprofessional:", "\nprofessioneel:", 1)
    (tmp_path / "geldzorgen.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="professional"):
        answers.load(tmp_path)


def test_answers_jsonl(runner, assistant):
    lines = runner.invoke(main, ["answers", "--niveau", "eenvoudig"]).output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert {r["intent"] for r in rows} == set(assistant.intents)
    assert all(r["niveau"] == "eenvoudig" and r["text"] for r in rows)


@pytest.mark.parametrize(
    "text,problem",
    [
        ("Je aanvraag wordt door de gemeente beoordeeld.", "lijdende_vorm"),
        ("Bel de GGZ of het UWV.", "afkortingen"),
        ("Je krijgt 5.", "kale_getallen"),
        (
            "Dit is een hele lange zin met heel erg veel woorden die niemand in een keer goed kan lezen of onthouden.",
            "langste_zin",
        ),
    ],
)
def test_checker_catches_what_eenvoudig_forbids(text, problem):
    m = leesbaarheid.measure(text)
    assert any(p.startswith(problem) for p in leesbaarheid.problems(m, "eenvoudig"))


def test_plain_sentence_passes():
    m = leesbaarheid.measure("Bel je huisarts. Het nummer staat hieronder. Het is gratis.")
    assert leesbaarheid.problems(m, "eenvoudig") == []
    assert m.gem_woorden_per_zin <= 5


def test_mantelzorger_eenvoudig_steps_have_existing_pictograms(runner):
    result = runner.invoke(main, ["ask", "--niveau", "eenvoudig", "--json", "ik ben mantelzorger en ik ben moe"])
    reply = json.loads(result.output)
    assert reply["answer"]["niveau"] == "eenvoudig"
    assert 3 <= len(reply["answer"]["steps"]) <= 6
    for step in reply["answer"]["steps"]:
        assert pictogrammen.path(step["pictogram"]).is_file(), step
        assert pictogrammen.alt(step["pictogram"])


def test_every_pictogram_is_vendored_with_a_dutch_alt():
    from knowledge.schema import PICTOGRAMMEN

    for name in PICTOGRAMMEN:
        assert pictogrammen.path(name).read_text().lstrip().startswith("<svg"), name
        assert pictogrammen.alt(name), name
    for pakket in pictogrammen.packages_used():
        assert pictogrammen.licence_path(pakket).is_file(), pakket
