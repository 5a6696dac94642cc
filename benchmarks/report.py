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
        one, ten = r["http"]["1"], r["http"]["10"]
        line = (f"- **HTTP at 10 clients.** One `serve` process runs Python under one interpreter lock, so "
                f"requests queue behind each other: one client alone gets {one['throughput_rps']} req/s at "
                f"p50 {one['p50_ms']} ms, that is about {1000 / max(one['throughput_rps'], 1e-9):.1f} ms of "
                f"server time per request; 10 clients wait for about ten of those, p95 {ten['p95_ms']} ms. "
                "The [http profile](profiles/http.txt) shows the split: the assistant's turn (the matcher "
                "first) is most of it, then Flask, JSON and the schema check; the load client shares the "
                "2 cores.")
        w = r.get("workers_postgres")
        if w:
            line += (f" More processes use both cores: 4 workers against PostgreSQL give "
                     f"{w['4']['10']['throughput_rps']} req/s at p95 {w['4']['10']['p95_ms']} ms with 10 clients.")
        out.append(line)
    if not t["cold_start_s"]["met"]:
        out.append(f"- **Cold start** ({r['cold_start']['seconds']} s). The [cold-start profile](profiles/cold-start.txt) "
                   "shows importing scikit-learn, SciPy and spaCy and initialising spaCy's Dutch lookup tables "
                   "as the bulk; reading the KB and answering are a small part. A server pays this once per "
                   "process; serving the model without scikit-learn (plain NumPy weights) would be the next step.")
    if not t["turn_p95_ms"]["met"]:
        out.append("- **Per turn.** See the [turn profile](profiles/turn.txt).")
    if not t["search_p95_ms_100k"]["met"] and r["scale"][-1]["voorzieningen"] < 100_000:
        out.append("- **Search at 100 000** was not measured in this run (`--quick`).")
    elif not t["search_p95_ms_100k"]["met"]:
        big = r["scale"][-1]
        line = ("- **Search at 100 000.** Ranking is exact BM25: Whoosh scores every matching voorziening in "
                "pure Python before it takes the top 20; the [search profile](profiles/search.txt) shows that "
                "scoring loop.")
        reach = big.get("reach")
        if reach:
            line += (f" Half the test queries match {_n(reach['median_matched'])} or more of the "
                     f"{_n(big['voorzieningen'])} voorzieningen ('{reach['max_query']}': {_n(reach['max_matched'])}), "
                     f"at about {reach['us_per_match']} µs per match.")
        line += (f" Plain BM25 without typo, compound and synonym expansion misses as well "
                 f"(p95 {big['bm25']['p95_ms']} ms)")
        if "postgres" in big:
            line += f", and so does PostgreSQL's ts_rank over the same matches (p95 {big['postgres']['p95_ms']} ms)"
        line += (". Under 50 ms at this size takes an engine that skips documents which cannot reach the "
                 "top 20 (block-max WAND in native code, as Lucene and Tantivy do).")
        one = next((row for row in r["scale"] if row["voorzieningen"] == 1_000), None)
        if one:
            line += f" At the size of one gemeente (1 000) search p95 is {one['search']['p95_ms']} ms."
        out.append(line)
    return out + [""]


def _n(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def markdown(r: dict, targets: dict) -> str:
    m = r["machine"]
    out = [
        "# Benchmark report",
        "",
        f"`make bench` on {r['date']}: {m['cpus']} cores, Python {m['python']}, {m['platform']}. "
        f"Every figure is the median of {1 if r['quick'] else 3} or more runs; it took {r['seconds']} s. "
        "Rate limiting and the miss log are off, the client runs on the same machine over loopback." +
        (" **Quick run: small sizes and short durations, not the real figures.**" if r["quick"] else ""),
        "",
        "## Targets",
        "",
    ]
    t = r["targets"]
    rps, p95 = t["http_10_clients"]["value"]
    out += _table(["target", "measured", ""], [
        [f"per turn in-process p95 ≤ {targets['turn_p95_ms']:g} ms", f"{t['turn_p95_ms']['value']} ms",
         _mark(t["turn_p95_ms"]["met"])],
        [f"≥ {targets['http_rps_10']:g} req/s with p95 ≤ {targets['http_p95_ms_10']:g} ms at 10 clients",
         f"{rps} req/s, p95 {p95} ms", _mark(t["http_10_clients"]["met"])],
        [f"cold start ≤ {targets['cold_start_s']:g} s", f"{t['cold_start_s']['value']} s", _mark(t["cold_start_s"]["met"])],
        [f"search p95 ≤ {targets['search_p95_ms_100k']:g} ms at 100 000 voorzieningen",
         f"{t['search_p95_ms_100k']['value']} ms", _mark(t["search_p95_ms_100k"]["met"])],
        [f"safety check adds ≤ {targets['safety_added_p95_ms']:g} ms per turn (p95, dev set)",
         f"{t['safety_added_p95_ms']['value']} ms", _mark(t["safety_added_p95_ms"]["met"])],
        [f"safety check linear: 2 000 vs 250 characters ≤ {targets['safety_linear_ratio']:g}× (8× is linear)",
         f"{t['safety_linear_ratio']['value']}×", _mark(t["safety_linear_ratio"]["met"])],
    ])
    if r["profiles"]:
        out += ["Profiles (pyinstrument) of the missed targets: " +
                ", ".join(f"[{k}]({v.removeprefix('docs/')})" for k, v in r["profiles"].items()) + ".", ""]
        out += _gaps(r)

    v = r["veiligheid"]
    out += ["## Safety check", "",
            "Patterns (one RE2 set per sentence, RE2 never backtracks) plus the safety model over the inputs the "
            f"intent matcher computes anyway. On the dev set it adds p50 {v['devset']['added_p50_ms']} ms and p95 "
            f"{v['devset']['added_p95_ms']} ms to a turn (timed around the check, after the intent model). "
            "Worst-case inputs by length (ms):", ""]
    out += _table(["message", *[f"{n} chars" for n in (250, 500, 1000, 2000)], "2000 / 250"],
                  [[name, *[row[str(n)] for n in (250, 500, 1000, 2000)], f"{row['ratio_2000_250']}×"]
                   for name, row in v["length"].items()])
    z = r.get("zwaar")
    if z:
        out += ["## Heaviest accepted messages", "",
                f"Whole turns (`Assistant.reply`) on messages built to be expensive, each at most the accepted length; "
                f"the dev set's ordinary messages in the same run: p50 {z['normal_p50_ms']} ms, p95 "
                f"{z['normal_p95_ms']} ms.", ""]
        out += _table(["message", "chars", "p50 ms", "max ms", "extra over ordinary p50 (ms)"],
                      [[name, k["chars"], k["p50_ms"], k["max_ms"], k["extra_p50_ms"]] for name, k in z["kinds"].items()])
    out += ["## Per turn, in-process", "",
            "`Assistant.reply` does everything a chat turn does (safety rules, matcher, location, answer from the KB, "
            "session). `matcher` is our intent matcher alone; `baseline` is TF-IDF + logistic regression on the raw "
            "text, the yardstick of `buurtwijzer eval`.", ""]
    rows = []
    for name in ("devset", "generated"):
        s = r["turns"][name]
        for engine in ("assistant", "matcher", "baseline"):
            e = s[engine]
            rows.append([name, engine, e["n"], e["p50_ms"], e["p95_ms"], e["p99_ms"]])
    out += _table(["messages", "what", "n", "p50 ms", "p95 ms", "p99 ms"], rows)
    out += [f"Our matcher costs {r['turns']['devset']['matcher_vs_baseline_p95']}× the baseline's p95 on the dev set "
            f"and {r['turns']['generated']['matcher_vs_baseline_p95']}× on the generated set; in exchange it is "
            "right more often (see `buurtwijzer eval`).", ""]

    h = r["http"]
    out += ["## HTTP: `POST /api/chat` under `buurtwijzer serve`", "",
            f"One process (waitress, {THREADS} threads), embedded SQLite + Whoosh, each client keeps its session.", ""]
    out += _table(["clients", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
                  [[c, h[c]["throughput_rps"], h[c]["p50_ms"], h[c]["p95_ms"], h[c]["p99_ms"], h[c]["errors"]]
                   for c in ("1", "10", "50")])
    out += [f"Server start to first HTTP answer: {h['cold_start_seconds']} s; peak memory of the server "
            f"{h['peak_rss_mb']} MB.", ""]

    if "workers_postgres" in r:
        w = r["workers_postgres"]
        out += ["## Scale-out: PostgreSQL with 1 and 4 workers", "",
                "KB and sessions in PostgreSQL on loopback. 1 worker is `buurtwijzer serve` (waitress); 4 workers is "
                f"`buurtwijzer serve --workers 4` (gunicorn, {THREADS} threads each).", ""]
        out += _table(["workers", "clients", "req/s", "p50 ms", "p95 ms", "errors", "peak memory MB"],
                      [[n, c, w[n][c]["throughput_rps"], w[n][c]["p50_ms"], w[n][c]["p95_ms"], w[n][c]["errors"],
                        w[n]["peak_rss_mb"]] for n in ("1", "4") for c in ("10", "50")])
        out += [f"4 workers give {w['4']['10']['throughput_rps'] / max(w['1']['10']['throughput_rps'], 1e-9):.2f}× "
                "the throughput of 1 at 10 clients on this machine.", ""]
    else:
        out += ["## Scale-out", "", "No PostgreSQL was available for this run: the worker comparison is missing.", ""]

    c, b = r["cold_start"], r["build"]
    out += ["## Start-up, build and memory", ""]
    out += _table(["what", "figure"], [
        ["cold start: new process → KB, models loaded → first answer", f"{c['seconds']} s (fastest {c['min_seconds']} s)"],
        ["peak memory of that process", f"{c['peak_rss_mb']} MB"],
        ["KB build (validate, SQLite, lexicon, Whoosh index)", f"{b['kb_seconds']} s"],
        ["model build (training, calibration)", f"{b['model_seconds']} s"],
        ["peak memory of a build", f"{b['peak_rss_mb']} MB"],
    ])

    out += ["## How cost grows with the size of the sociale kaart", "",
            "Synthetic voorzieningen made from the real ones (same fields and words, reshuffled). Search: "
            f"{len(r['scale'][0]['search']) and r['scale'][0]['search']['n']} calls per run, 30 queries (typos, "
            "compounds, sentences) × no filter / a wijk / a thema, top 20. `search` is Buurtwijzer's search over "
            "Whoosh (stemming, compounds, synonyms, typo correction); `BM25` is plain Whoosh BM25 on stemmed "
            "words; `PostgreSQL` is full-text search with the Dutch configuration.", "",
            "![build time and search latency by size](benchmark-schaal.png)", ""]
    pg = all("postgres" in row for row in r["scale"])
    head = ["voorzieningen", "build s", "matches (median)", "search p50", "search p95", "BM25 p95", "search/BM25"]
    head += ["PG copy s", "PG p50", "PG p95"] if pg else []
    rows = []
    for row in r["scale"]:
        cells = [row["voorzieningen"], row["build_seconds"], row.get("reach", {}).get("median_matched", "–"),
                 row["search"]["p50_ms"], row["search"]["p95_ms"],
                 row["bm25"]["p95_ms"], f"{row['search_vs_bm25_p95']}×"]
        if pg:
            cells += [row["postgres_load_seconds"], row["postgres"]["p50_ms"], row["postgres"]["p95_ms"]]
        rows.append(cells)
    out += _table(head, rows)
    out += ["Times in ms unless marked.", ""]
    return "\n".join(out)
