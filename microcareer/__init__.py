"""microcareer: a nightly open dataset of cross-industry skill transfer."""

__version__ = "0.1.0"
