"""The web faces of Buurtwijzer (see web/app.py for the app factory)."""
