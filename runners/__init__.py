"""The checker systems that ship with claimbench. Imported lazily by name."""

BUILTINS: dict[str, tuple[str, str]] = {
    "always-supported": ("runners.baselines:AlwaysSupported",
                         "Baseline: says every claim is supported."),
    "always-refuted": ("runners.baselines:AlwaysRefuted", "Baseline: says every claim is refuted."),
    "random": ("runners.baselines:RandomChecker",
               "Baseline: a seeded random label with the dataset-independent prior of 1/3 each."),
}
