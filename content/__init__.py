"""FaceCoach content: exercises, scripts, phrases, plans and sample settings (data, not code)."""

from importlib.resources import files
from pathlib import Path


def content_path(*parts: str) -> Path:
    """Path of a file shipped in the content package."""
    return Path(str(files("content").joinpath(*parts)))
