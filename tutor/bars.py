"""Text probability bars shared by the CLI tables and the TUI widgets."""

_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")


def bar(probability: float, width: int = 20) -> str:
    """A bar with eighth-block resolution: bar(0.43, 20) -> '████████▌'."""
    eighths = round(max(0.0, min(1.0, probability)) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + _EIGHTHS[rest]
