"""The speed and memory targets the benchmark report measures against (docs/benchmark.md)."""

TARGETS = {
    "turn_p95_ms": 5.0,
    "ratio_10_new": 0.25,
    "http_p95_ms_10": 50.0,
    "soak_p95_ms": 250.0,
    "memory_mb": 600.0,
    "help_s": 0.5,
    "first_answer_s": 2.0,
    "search_p95_ms_100k": 50.0,
    "safety_added_p95_ms": 1.0,
    "safety_linear_ratio": 12.0,
}
