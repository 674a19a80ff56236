"""How ``rank_options`` may score (see tutor/engine/pll.py), kept free of torch so the CLI
can build ``--help`` without loading the engine.  The first entry of each is the default."""
NORMALIZE = ("option-mean", "mean", "sum")
SCOPES = ("sentence", "next", "window")
DEFAULT_NORMALIZE, DEFAULT_SCOPE = NORMALIZE[0], SCOPES[0]
