"""Safety first: crisis signals in any message, with their scope and one verdict per message.

The data beside this file is what editors review: one file per crisis kind
(zelfdoding.yml, geweld.yml, noodgeval.yml), the scope of a signal (reikwijdte.yml),
the safety model's thresholds (drempels.yml) and its training examples (voorbeelden_*.yml).
"""

from .check import Hit, SafetyCheck, Verdict
from .patterns import KINDS

__all__ = ["Hit", "KINDS", "SafetyCheck", "Verdict"]
