"""The yardstick for HTTP figures: a trivial Flask handler under waitress, measured with the same
client in the same run, so that the report can give ratios that hold on a shared machine.

    python -m benchmarks.trivial --port 8099
"""

from __future__ import annotations

import argparse

from flask import Flask, jsonify, request
from waitress import serve

from web.cli import THREADS


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/api/chat")
    def chat():
        body = request.get_json(silent=True) or {}
        return jsonify({"session": body.get("session_id") or "s", "answer": {"text": "ok"}})

    @app.get("/api/openapi.json")
    def openapi():
        return jsonify({})

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(create_app(), host="127.0.0.1", port=args.port, threads=THREADS, ident="trivial")
