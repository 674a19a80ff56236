"""One widget per module; block widgets are built by ``blocks.widget_for``."""
