"""microcareer: a nightly open dataset of cross-industry skill transfer."""

from schemas.project import VERSION as __version__

__all__ = ["__version__"]
