"""The checker systems that ship with claimbench. Imported lazily by name."""

BUILTINS: dict[str, tuple[str, str]] = {
    "always-supported": ("runners.baselines:AlwaysSupported",
                         "Baseline: says every claim is supported."),
    "always-refuted": ("runners.baselines:AlwaysRefuted", "Baseline: says every claim is refuted."),
    "random": ("runners.baselines:RandomChecker",
               "Baseline: a seeded random label with the dataset-independent prior of 1/3 each."),
    "kb": ("runners.kb:KnowledgeChecker",
           "Knowledge-based entity checker: wrong people, organisations and name spellings."),
    "command": ("runners.command:CommandChecker",
                "An external program speaking JSON lines (--param command='prog args')."),
    "predictions": ("runners.predictions:PredictionsFile",
                    "Replays a predictions file (--param path=FILE)."),
    "llm": ("runners.llm:LLMChecker",
            "An LLM behind any OpenAI-compatible chat API (--param base_url=... model=...)."),
}
