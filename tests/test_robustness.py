"""Property-based and fault tests: arbitrary input never crashes, broken installs say how to fix them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.backends import open_kb
from knowledge.locaties import parse_postcode
from knowledge.store import KnowledgeBaseMissing
from knowledge.text import normalise, words
from web.app import create_app

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@SETTINGS
@given(TEXT)
def test_normaliser_is_total_and_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
    assert all(w == w.lower() for w in words(text))


@SETTINGS
@given(TEXT)
def test_postcode_parser_only_returns_pc4(text):
    pc = parse_postcode(text)
    assert pc is None or (len(pc) == 4 and pc.isdigit() and pc[0] != "0")


@SETTINGS
@given(TEXT)
def test_matcher_always_ranks(assistant, text):
    pred = assistant.matcher.predict(text)
    assert pred.intent in assistant.intents
    assert 0.0 <= pred.confidence <= 1.0


@SETTINGS
@given(st.one_of(TEXT, st.binary(max_size=200), st.text(min_size=2001, max_size=3000)))
def test_dialogue_always_replies(assistant, text):
    reply = assistant.reply(text).to_json()
    assert reply["action"] in ("answer", "clarify", "ask_location", "crisis", "handoff", "other_language")
    assert reply["answer"]["text"]


@pytest.fixture(scope="module")
def api(assistant):
    return create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None}).test_client()


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=500),
        TEXT.map(str.encode),
        st.dictionaries(
            st.text(max_size=10),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=50),
                lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                max_leaves=6,
            ),
            max_size=5,
        ).map(lambda d: json.dumps(d).encode()),
    )
)
def test_api_never_fails_on_bad_bodies(api, body):
    r = api.post("/api/chat", data=body, content_type="application/json")
    assert r.status_code in (200, 400)
    assert "Traceback" not in r.get_data(as_text=True)


def test_huge_body_is_refused(api):
    r = api.post("/api/chat", data=b"x" * 200_000, content_type="application/json")
    assert r.status_code == 413 and "te groot" in r.get_json()["error"]


def test_missing_kb_names_the_fix(tmp_path):
    with pytest.raises(KnowledgeBaseMissing, match="buurtwijzer build"):
        open_kb(tmp_path / "leeg")


def test_corrupt_kb_names_the_fix(tmp_path, build_dir):
    import shutil

    broken = tmp_path / "kapot"
    shutil.copytree(build_dir, broken)
    (broken / "kb.sqlite").write_bytes(b"dit is geen database" * 100)
    (broken / "postgres.json").write_text('{"schema": "bw_verdwenen"}', encoding="utf-8")  # PostgreSQL job
    with pytest.raises(KnowledgeBaseMissing, match="buurtwijzer build"):
        open_kb(broken)


@pytest.mark.parametrize("damage", ["weg", "kapot"])
def test_missing_or_corrupt_model_names_the_fix(tmp_path, build_dir, damage):
    import shutil

    from assistant.dialogue import Assistant
    from intents.matcher import MODEL_FILE

    broken = tmp_path / "kapot"
    shutil.copytree(build_dir, broken)
    model = broken / MODEL_FILE
    model.unlink() if damage == "weg" else model.write_bytes(model.read_bytes()[:500])
    with pytest.raises(KnowledgeBaseMissing, match="buurtwijzer build"):
        Assistant.load(broken)


def test_serve_without_kb_is_a_clear_error(runner, tmp_path, monkeypatch):
    from web.main import main

    monkeypatch.setenv("BUURTWIJZER_VAR", str(tmp_path))
    result = runner.invoke(main, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert "buurtwijzer build" in result.output and "Traceback" not in result.output


def test_the_serving_process_never_imports_scikit_learn_or_scipy(build_dir):
    """The app and the CLI that starts it score with NumPy alone; training and evaluation import the rest."""
    script = (
        "import sys\nfrom web.main import main\nfrom web.app import create_app\n"
        f"app = create_app({{'BUILD_DIR': {str(build_dir)!r}}})\n"
        "app.test_client().post('/api/chat', json={'message': 'ik heb schulden'})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))"
    )
    env = {**os.environ, "BUURTWIJZER_GEMIST": "off"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_help_loads_no_model_library():
    """`buurtwijzer --help` starts at once: spaCy, NumPy, Whoosh and the rest load with the command that needs them."""
    script = (
        "import sys\nfrom click.testing import CliRunner\nfrom web.main import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'spacy', 'numpy', 'sklearn', 'scipy', 'whoosh', 'sqlite_utils', 'flask', 'rapidfuzz'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
