"""Sample weights shared by the metrics.

Every metric accepts ``sample_weight`` of shape ``(n,)`` or ``(B, n)``. With ``(B, n)`` it
returns ``B`` values at once: this is how the bootstrap evaluates 1,000 resamples in one call
(each resample is a vector of case counts).
"""

from __future__ import annotations

import numpy as np


def weights(sample_weight, n: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n)
    w = np.asarray(sample_weight, dtype=float)
    if w.shape[-1] != n:
        raise ValueError(f"sample_weight has {w.shape[-1]} columns for {n} samples")
    return w


def ratio(num, den) -> np.ndarray | float:
    """num/den with NaN (undefined, shown as '—') where den == 0, never a silent 0 or 1."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return out if out.ndim else float(out)
