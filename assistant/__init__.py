"""The dialogue: what Buurtwijzer says back."""
