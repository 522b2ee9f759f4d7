"""Random identifiers that never repeat within a run or against rows already in the database."""

from collections.abc import Iterable

import numpy as np

MAX_ATTEMPTS = 50


class UniqueNumbers:
    """Completes fixed prefixes with random digits, redrawing any number already taken.

    ``used`` is a sorted array, so a membership test for a chunk of 50,000 costs one vectorised
    ``searchsorted`` rather than 50,000 set lookups.
    """

    def __init__(self, existing: Iterable[str | None], *, random_digits: int) -> None:
        self.used = np.unique(np.array([int(v) for v in existing if v and v.isdigit()], dtype=np.int64))
        self.scale = 10**random_digits

    def complete(self, rng: np.random.Generator, prefixes: np.ndarray) -> np.ndarray:
        """One unused number per prefix: ``prefix * 10**random_digits + random``."""
        out = prefixes * self.scale + rng.integers(0, self.scale, len(prefixes))
        for _ in range(MAX_ATTEMPTS):
            order = np.argsort(out, kind="stable")
            ordered = out[order]
            # Looked up in sorted order: numpy's searchsorted narrows each search from the previous one,
            # several times faster than 50,000 random probes into a million numbers.
            redraw = np.zeros(len(out), dtype=bool)
            redraw[order] = self._taken(ordered)
            redraw[order[1:]] |= ordered[1:] == ordered[:-1]  # keep the first of equal numbers
            if not redraw.any():
                break
            out[redraw] = prefixes[redraw] * self.scale + rng.integers(0, self.scale, int(redraw.sum()))
        else:
            raise RuntimeError("identifier space exhausted for some prefix")
        self.used = np.sort(np.concatenate([self.used, ordered]), kind="stable")  # two sorted runs: a merge
        return out

    def _taken(self, numbers: np.ndarray) -> np.ndarray:
        if not len(self.used):
            return np.zeros(len(numbers), dtype=bool)
        at = np.minimum(np.searchsorted(self.used, numbers), len(self.used) - 1)
        return self.used[at] == numbers
