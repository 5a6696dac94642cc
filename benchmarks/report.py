"""The benchmark results as a Markdown report."""

from __future__ import annotations

from web.cli import THREADS


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list]) -> list[str]:
    return [_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows), ""]


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _gaps(r: dict) -> list[str]:
    """Why a target was missed, from the figures and the profiles of this run."""
    out = ["### Where the time goes", ""]
    t = r["targets"]
    if not t["http_10_clients"]["met"]:
        ten = r["served"]["ours"]["new"]["10"]
        out.append(
            f"- **HTTP at 10 clients** ({ten['throughput_rps']} req/s, p95 {ten['p95_ms']} ms). Each worker "
            "process answers under one interpreter lock, and the load client shares the same cores. The "
            "[http profile](profiles/http.txt) shows where a request's time goes inside the app."
        )
    if not t["first_answer_s"]["met"]:
        out.append(
            f"- **First answer** ({r['served']['first_answer']['seconds']} s). The "
            "[cold-start profile](profiles/cold-start.txt) shows imports and model loading."
        )
    if not t["memory_mb"]["met"]:
        out.append(
            f"- **Memory** ({r['served']['memory']['pss_mb']} MB PSS over "
            f"{r['served']['memory']['processes']} processes)."
        )
    if not t["soak_50_clients"]["met"]:
        out.append(
            f"- **50 clients for a minute** (p95 {r['served']['soak']['p95_ms']} ms, "
            f"{r['served']['soak']['errors']} errors)."
        )
    if not t["turn_p95_ms"]["met"]:
        out.append("- **Per turn.** See the [turn profile](profiles/turn.txt).")
    if not t["search_p95_ms_100k"]["met"] and r["scale"][-1]["voorzieningen"] < 100_000:
        out.append("- **Search at 100 000** was not measured in this run (`--quick`).")
    elif not t["search_p95_ms_100k"]["met"]:
        big = r["scale"][-1]
        line = (
            "- **Search at 100 000.** Ranking is exact BM25: Whoosh scores every matching voorziening in "
            "pure Python before it takes the top 20; the [search profile](profiles/search.txt) shows that "
            "scoring loop."
        )
        reach = big.get("reach")
        if reach:
            line += (
                f" Half the test queries match {_n(reach['median_matched'])} or more of the "
                f"{_n(big['voorzieningen'])} voorzieningen ('{reach['max_query']}': {_n(reach['max_matched'])}), "
                f"at about {reach['us_per_match']} µs per match."
            )
        line += (
            f" Plain BM25 without typo, compound and synonym expansion misses as well (p95 {big['bm25']['p95_ms']} ms)"
        )
        if "postgres" in big:
            line += f", and so does PostgreSQL's ts_rank over the same matches (p95 {big['postgres']['p95_ms']} ms)"
        line += (
            ". Under 50 ms at this size takes an engine that skips documents which cannot reach the "
            "top 20 (block-max WAND in native code, as Lucene and Tantivy do)."
        )
        one = next((row for row in r["scale"] if row["voorzieningen"] == 1_000), None)
        if one:
            line += f" At the size of one gemeente (1 000) search p95 is {one['search']['p95_ms']} ms."
        out.append(line)
    return out + [""]


def _n(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def _voorlees(r: dict) -> list[str]:
    """Read-aloud: espeak-ng's WAV against opusenc's Ogg Opus, the same answers in the same run."""
    v = r.get("voorlees")
    if not v:
        return []
    st = v["settings"]
    when = (
        f" Measured on {v['date']} with `python -m benchmarks.voorlees --report`, apart from the rest of "
        "this report (WAV and Opus in that one run)."
        if v.get("separate_run")
        else ""
    )
    out = [
        "## Read-aloud: WAV against Ogg Opus",
        "",
        "Every answer residents can have read aloud (each intent at niveau standaard and eenvoudig, Dutch and, "
        "where the answer file has it, English), and the professional answers (Dutch only) beside them, spoken "
        f"by espeak-ng at {st['speed_wpm']} words a minute; each WAV encoded by opusenc at {st['kbit']} kbit/s"
        f"{' (--speech)' if st['speech'] else ''}. Sizes in KB of 1 000 bytes; times are wall clock per answer, "
        "with the CPU time of the program in brackets (speech is made once per answer text, then served from "
        f"the cache).{when}",
        "",
    ]
    if not v["opus"]:
        return out + ["opusenc was not installed for this run: only the WAV figures exist.", ""]
    rows = []
    for name, s in v["sets"].items():
        rows.append(
            [
                name,
                s["answers"],
                f"{s['audio_s_median']} / {s['audio_s_max']}",
                f"{s['wav_kb_median']:.0f} / {s['wav_kb_max']:.0f}",
                f"{s['opus_kb_median']:.0f} / {s['opus_kb_max']:.0f}",
                f"{s['ratio_median']}×",
                f"{s['speak_s_median']} ({s['speak_cpu_s_median']})",
                f"{s['encode_s_median']} / {s['encode_s_max']} ({s['encode_cpu_s_median']} / {s['encode_cpu_s_max']})",
            ]
        )
    out += _table(
        [
            "answers",
            "n",
            "speech s median / max",
            "WAV KB median / max",
            "Opus KB median / max",
            "WAV / Opus (median)",
            "espeak-ng s median (CPU)",
            "opusenc s median / max (CPU)",
        ],
        rows,
    )
    a, big = v["sets"]["standaard + eenvoudig"], v["largest"]
    line = (
        f"Target: at most {st['target_kb']:g} KB per standaard or eenvoudig answer; {a['over_target']} of "
        f"{a['answers']} are over it."
    )
    pro = v["sets"].get("professional nl")
    if pro:
        line += f" Professional answers over it: {pro['over_target']} of {pro['answers']}."
    line += (
        f" The longest standaard or eenvoudig answer ({big['intent']}, {big['niveau']}, {big['lang']}: "
        f"{big['chars']} characters, {big['audio_s']} s) is {big['wav_kb']:.0f} KB as WAV and "
        f"{big['opus_kb']:.0f} KB as Opus."
    )
    if "decoded_max_diff_s" in a:
        line += (
            " Decoded again with opusdec, every answer is as long as its WAV to within "
            f"{a['decoded_max_diff_s']:.3f} s."
        )
    tools = v.get("tools", {})
    if tools:
        line += " " + "; ".join(tools.values()) + "."
    return out + [line, ""]


def markdown(r: dict, targets: dict) -> str:
    m = r["machine"]
    out = [
        "# Benchmark report",
        "",
        f"`make bench` on {r['date']}: {m['cpus']} cores, Python {m['python']}, {m['platform']}. "
        f"Every figure is the median of {1 if r['quick'] else 3} or more runs; it took {r['seconds']} s. "
        "The servers run in the configuration people run: `buurtwijzer serve` with its defaults (a worker per "
        "core, miss log on, one de-identification worker), except that the rate limits are set out of reach "
        "(all clients share one address; the counting still runs). The client runs on the same machine over "
        "loopback, so it takes CPU from the server; the trivial handler is measured with the same client in the "
        "same run, and the ratio to it is the figure that holds from run to run."
        + (" **Quick run: small sizes and short durations, not the real figures.**" if r["quick"] else ""),
        "",
        "## Targets",
        "",
    ]
    t = r["targets"]
    ratio10, p95_10, errors10 = t["http_10_clients"]["value"]
    soak_p95, soak_errors = t["soak_50_clients"]["value"]
    mem = r["served"]["memory"]
    out += _table(
        ["target", "measured", ""],
        [
            [
                f"10 clients, new connection per request: ≥ {targets['ratio_10_new']:.0%} of the trivial handler, "
                f"p95 ≤ {targets['http_p95_ms_10']:g} ms, 0 errors",
                f"{ratio10}× ({r['served']['ours']['new']['10']['throughput_rps']} vs "
                f"{r['served']['trivial']['new']['10']['throughput_rps']} req/s), p95 {p95_10} ms, {errors10} errors",
                _mark(t["http_10_clients"]["met"]),
            ],
            [
                f"50 clients for {r['served']['soak']['seconds']:g} s: 0 errors, p95 ≤ {targets['soak_p95_ms']:g} ms",
                f"p95 {soak_p95} ms, {soak_errors} errors",
                _mark(t["soak_50_clients"]["met"]),
            ],
            [
                f"per turn in-process p95 ≤ {targets['turn_p95_ms']:g} ms (dev set)",
                f"{t['turn_p95_ms']['value']} ms (generated set of {r['turns']['generated']['assistant']['n']}: "
                f"{r['turns']['generated']['assistant']['p95_ms']} ms)",
                _mark(t["turn_p95_ms"]["met"]),
            ],
            [
                f"memory of all processes ≤ {targets['memory_mb']:g} MB after {mem['after_turns']} turns "
                "with misses (PSS)",
                f"{mem['pss_mb']} MB PSS ({mem['rss_mb']} MB summed RSS) over {mem['processes']} processes",
                _mark(t["memory_mb"]["met"]),
            ],
            [f"`buurtwijzer --help` ≤ {targets['help_s']:g} s", f"{t['help_s']['value']} s", _mark(t["help_s"]["met"])],
            [
                f"`buurtwijzer serve` to its first answer ≤ {targets['first_answer_s']:g} s",
                f"{t['first_answer_s']['value']} s",
                _mark(t["first_answer_s"]["met"]),
            ],
            [
                f"search p95 ≤ {targets['search_p95_ms_100k']:g} ms at 100 000 voorzieningen",
                f"{t['search_p95_ms_100k']['value']} ms",
                _mark(t["search_p95_ms_100k"]["met"]),
            ],
            [
                f"safety check adds ≤ {targets['safety_added_p95_ms']:g} ms per turn (p95, dev set)",
                f"{t['safety_added_p95_ms']['value']} ms",
                _mark(t["safety_added_p95_ms"]["met"]),
            ],
            [
                f"safety check linear: 2 000 vs 250 characters ≤ {targets['safety_linear_ratio']:g}× (8× is linear)",
                f"{t['safety_linear_ratio']['value']}×",
                _mark(t["safety_linear_ratio"]["met"]),
            ],
        ],
    )
    if r["profiles"]:
        out += [
            "Profiles (pyinstrument) of the missed targets: "
            + ", ".join(f"[{k}]({v.removeprefix('docs/')})" for k, v in r["profiles"].items())
            + ".",
            "",
        ]
        out += _gaps(r)

    v = r["veiligheid"]
    out += [
        "## Safety check",
        "",
        "Patterns (one RE2 set per sentence, RE2 never backtracks) plus the safety model over the inputs the "
        f"intent matcher computes anyway. On the dev set it adds p50 {v['devset']['added_p50_ms']} ms and p95 "
        f"{v['devset']['added_p95_ms']} ms to a turn (timed around the check, after the intent model). "
        "Worst-case inputs by length (ms):",
        "",
    ]
    out += _table(
        ["message", *[f"{n} chars" for n in (250, 500, 1000, 2000)], "2000 / 250"],
        [
            [name, *[row[str(n)] for n in (250, 500, 1000, 2000)], f"{row['ratio_2000_250']}×"]
            for name, row in v["length"].items()
        ],
    )
    z = r.get("zwaar")
    if z:
        out += [
            "## Heaviest accepted messages",
            "",
            f"Whole turns (`Assistant.reply`) on messages built to be expensive, each at most the accepted length; "
            f"the dev set's ordinary messages in the same run: p50 {z['normal_p50_ms']} ms, p95 "
            f"{z['normal_p95_ms']} ms.",
            "",
        ]
        out += _table(
            ["message", "chars", "p50 ms", "max ms", "extra over ordinary p50 (ms)"],
            [[name, k["chars"], k["p50_ms"], k["max_ms"], k["extra_p50_ms"]] for name, k in z["kinds"].items()],
        )
    out += [
        "## Per turn, in-process",
        "",
        "`Assistant.reply` does everything a chat turn does (safety rules, matcher, location, answer from the KB, "
        "session). `matcher` is our intent matcher alone; `baseline` is TF-IDF + logistic regression on the raw "
        "text, the yardstick of `buurtwijzer eval`.",
        "",
    ]
    rows = []
    for name in ("devset", "generated"):
        s = r["turns"][name]
        for engine in ("assistant", "matcher", "baseline"):
            e = s[engine]
            rows.append([name, engine, e["n"], e["p50_ms"], e["p95_ms"], e["p99_ms"]])
    out += _table(["messages", "what", "n", "p50 ms", "p95 ms", "p99 ms"], rows)
    out += [
        f"Our matcher costs {r['turns']['devset']['matcher_vs_baseline_p95']}× the baseline's p95 on the dev set "
        f"and {r['turns']['generated']['matcher_vs_baseline_p95']}× on the generated set; in exchange it is "
        "right more often (see `buurtwijzer eval`).",
        "",
    ]

    h = r["served"]
    out += [
        "## HTTP: `POST /api/chat` under `buurtwijzer serve`, default configuration",
        "",
        f"{h['workers']} worker processes (gunicorn, {THREADS} threads each; sessions and rate limits shared "
        "through SQLite), embedded SQLite + Whoosh, miss log on. Each client keeps its session and sends the dev "
        "set's messages (short fragments to long case descriptions) and now and then a postcode or a Ja/Nee, "
        "at random. *trivial* is a Flask handler that returns a fixed JSON answer under waitress "
        f"({THREADS} threads), measured cell by cell with the same client.",
        "",
    ]
    rows = []
    for mode, label in (("new", "new per request"), ("keepalive", "kept alive")):
        for c in ("1", "10", "50"):
            o, b = h["ours"][mode][c], h["trivial"][mode][c]
            rows.append(
                [
                    label,
                    c,
                    o["throughput_rps"],
                    b["throughput_rps"],
                    f"{h['ratio'][mode][c]}×",
                    o["p50_ms"],
                    o["p95_ms"],
                    o["p99_ms"],
                    b["p95_ms"],
                    o["errors"],
                ]
            )
    out += _table(
        [
            "connection",
            "clients",
            "req/s",
            "trivial req/s",
            "ratio",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "trivial p95 ms",
            "errors",
        ],
        rows,
    )
    s50 = h["soak"]
    mem, after = h["memory"], h["memory_after_soak"]
    out += [
        f"Soak: 50 clients, a new connection per request, {s50['seconds']} s: {s50['requests']} requests, "
        f"{s50['throughput_rps']} req/s (trivial {s50['trivial']['throughput_rps']} req/s), p50 {s50['p50_ms']} ms, "
        f"p95 {s50['p95_ms']} ms, p99 {s50['p99_ms']} ms, {s50['errors']} errors.",
        "",
        f"Memory of the whole process tree ({mem['processes']} processes: the gunicorn master, the workers and "
        f"the de-identification worker) after {mem['after_turns']} turns, {mem['misses_logged']} of them logged "
        f"as misses: {mem['pss_mb']} MB PSS (shared pages divided among the processes that share them), "
        f"{mem['rss_mb']} MB if every process's RSS is summed, peak {mem['peak_rss_mb']} MB summed. After the "
        f"soak: {after['pss_mb']} MB PSS.",
        "",
        f"`buurtwijzer serve` to its first answer: {h['first_answer']['seconds']} s (median of "
        f"{h['first_answer']['runs']}, fastest {h['first_answer']['min_seconds']} s); `buurtwijzer --help`: "
        f"{r['help']['seconds']} s.",
        "",
        "Not covered: TLS and a reverse proxy in front, clients on other machines (the client here shares the "
        "cores), the kaart, kiosk, read-aloud and export pages (only chat turns are sent), PostgreSQL in the "
        "default figures, rate limits that refuse, a cold disk cache, and more than one machine.",
        "",
    ]

    if "workers_postgres" in r:
        w = r["workers_postgres"]
        out += [
            "## Scale-out: PostgreSQL with 1 and 4 workers",
            "",
            "KB and sessions in PostgreSQL on loopback. 1 worker is `buurtwijzer serve --workers 1` (waitress); "
            f"4 workers is `buurtwijzer serve --workers 4` (gunicorn, {THREADS} threads each). Clients keep their "
            "connection alive.",
            "",
        ]
        out += _table(
            ["workers", "clients", "req/s", "p50 ms", "p95 ms", "errors", "memory MB (PSS)"],
            [
                [
                    n,
                    c,
                    w[n][c]["throughput_rps"],
                    w[n][c]["p50_ms"],
                    w[n][c]["p95_ms"],
                    w[n][c]["errors"],
                    w[n]["memory"]["pss_mb"],
                ]
                for n in ("1", "4")
                for c in ("10", "50")
            ],
        )
        out += [
            f"4 workers give {w['4']['10']['throughput_rps'] / max(w['1']['10']['throughput_rps'], 1e-9):.2f}× "
            "the throughput of 1 at 10 clients on this machine.",
            "",
        ]
    else:
        out += ["## Scale-out", "", "No PostgreSQL was available for this run: the worker comparison is missing.", ""]

    out += _voorlees(r)

    c, b = r["cold_start"], r["build"]
    out += ["## Start-up, build and memory", ""]
    out += _table(
        ["what", "figure"],
        [
            [
                "a bare process: import, KB and models loaded, first answer (no server)",
                f"{c['seconds']} s (fastest {c['min_seconds']} s)",
            ],
            ["peak memory of that process", f"{c['peak_rss_mb']} MB"],
            ["KB build (validate, SQLite, lexicon, Whoosh index)", f"{b['kb_seconds']} s"],
            ["model build (training, calibration)", f"{b['model_seconds']} s"],
            ["peak memory of a build", f"{b['peak_rss_mb']} MB"],
        ],
    )

    out += [
        "## How cost grows with the size of the sociale kaart",
        "",
        "Synthetic voorzieningen made from the real ones (same fields and words, reshuffled). Search: "
        f"{len(r['scale'][0]['search']) and r['scale'][0]['search']['n']} calls per run, 30 queries (typos, "
        "compounds, sentences) × no filter / a wijk / a thema, top 20. `search` is Buurtwijzer's search over "
        "Whoosh (stemming, compounds, synonyms, typo correction); `BM25` is plain Whoosh BM25 on stemmed "
        "words; `PostgreSQL` is full-text search with the Dutch configuration.",
        "",
        "![build time and search latency by size](benchmark-schaal.png)",
        "",
    ]
    pg = all("postgres" in row for row in r["scale"])
    head = ["voorzieningen", "build s", "matches (median)", "search p50", "search p95", "BM25 p95", "search/BM25"]
    head += ["PG copy s", "PG p50", "PG p95"] if pg else []
    rows = []
    for row in r["scale"]:
        cells = [
            row["voorzieningen"],
            row["build_seconds"],
            row.get("reach", {}).get("median_matched", "–"),
            row["search"]["p50_ms"],
            row["search"]["p95_ms"],
            row["bm25"]["p95_ms"],
            f"{row['search_vs_bm25_p95']}×",
        ]
        if pg:
            cells += [row["postgres_load_seconds"], row["postgres"]["p50_ms"], row["postgres"]["p95_ms"]]
        rows.append(cells)
    out += _table(head, rows)
    out += ["Times in ms unless marked.", ""]
    return "\n".join(out)
