"""alt-profanity-check's model, computed directly (pure Python over its own weights).

The package ships a scikit-learn TF-IDF vectorizer and five calibrated linear SVMs. Asking
scikit-learn costs about 3 ms for one message (input checks and sparse matrices dominate);
the same arithmetic over a dict of the model's words costs a few microseconds, gives the
same probabilities (tests/moderation/test_automod.py compares them), and lets AutoMod judge
a lone message well inside a millisecond.
"""

import math
import re
from collections import Counter
from functools import cache

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # the vectorizer's token pattern


class LinearProfanity:
    def __init__(self) -> None:
        from profanity_check import profanity_check

        vectorizer, model = profanity_check.vectorizer, profanity_check.model
        members = model.calibrated_classifiers_
        columns = [member.estimator.coef_[0] for member in members]
        # word -> (idf, each member's weight for it)
        self.words = {
            word: (float(vectorizer.idf_[i]), tuple(float(c[i]) for c in columns))
            for word, i in vectorizer.vocabulary_.items()
        }
        # each member: (intercept, calibration a, calibration b)
        self.members = [
            (float(m.estimator.intercept_[0]), float(m.calibrators[0].a_),
             float(m.calibrators[0].b_))
            for m in members
        ]  # fmt: skip

    def probability(self, text: str) -> float:
        """The probability that ``text`` is offensive, as ``model.predict_proba`` gives it."""
        counts = Counter(word for word in _TOKEN.findall(text.lower()) if word in self.words)
        sums = [0.0] * len(self.members)
        norm = 0.0
        for word, count in counts.items():
            idf, weights = self.words[word]
            value = count * idf
            norm += value * value
            for k, weight in enumerate(weights):
                sums[k] += value * weight
        norm = math.sqrt(norm) or 1.0
        total = 0.0
        for (intercept, a, b), dot in zip(self.members, sums, strict=True):
            decision = dot / norm + intercept
            total += 1.0 / (1.0 + math.exp(a * decision + b))
        return total / len(self.members)


@cache
def classifier() -> LinearProfanity:
    """The model, read once per process (about 0.3 s)."""
    return LinearProfanity()
