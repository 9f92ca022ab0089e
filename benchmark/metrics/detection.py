"""Which errors a system catches: detection rate per error category, false alarms on supported."""

from __future__ import annotations

import numpy as np

from ._weights import ratio, weights


def detection_rate(flagged, has_error, sample_weight=None):
    """Share of cases with the error (``has_error``) that the system flagged refuted.

    Undefined (NaN) when no case has the error.
    """
    flagged = np.asarray(flagged, dtype=bool)
    has_error = np.asarray(has_error, dtype=bool)
    w = weights(sample_weight, len(flagged))
    return ratio(w @ (flagged & has_error), w @ has_error)


def false_alarm_rate(flagged, is_supported, sample_weight=None):
    """Share of supported cases that the system flagged refuted (or failed to answer)."""
    return detection_rate(flagged, is_supported, sample_weight)
