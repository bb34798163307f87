"""MediaPipe's native start-up chatter, kept off a command-line user's terminal.

MediaPipe and TensorFlow Lite write their log lines from C++ straight to file descriptor 2
("WARNING: Logging before InitGoogle() is written to STDERR", "INFO: Created TensorFlow Lite
XNNPACK delegate for CPU", glog lines such as "W0000 00:00:... face_landmarker_graph.cc:181]
..."). The ``GLOG_minloglevel`` and ``TF_CPP_MIN_LOG_LEVEL`` variables do not silence them.

``quiet_native_log`` points descriptor 2 at a temporary file while a command-line tool uses the
model, then sorts what was written: the known informational lines go to the Python log at DEBUG
(``facecoach --verbose`` shows them), everything else (an error line from the native code, a
Python warning, any text it does not know) is written back to the real standard error unchanged,
so nothing is lost. Only for one-shot command-line tools: the kiosk keeps every line in its
journal, and a process-wide redirection must not hide another thread's output there.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

# glog's informational and warning lines ("I1204 ..." / "W0000 00:00:1796428411.58 3877 file.cc:181] ..."),
# never its E (error) or F (fatal) lines; and TensorFlow Lite's and absl's own start-up lines.
_CHATTER = re.compile(
    r"^(?:[IW]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ \S+:\d+\] "
    r"|WARNING: Logging before InitGoogle\(\) is written to STDERR$"
    r"|INFO: Created TensorFlow Lite \S+ delegate for CPU\.$"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$)"
)


def is_chatter(line: str) -> bool:
    """True for a native informational line that tells a command-line user nothing."""
    return bool(_CHATTER.match(line))


@contextmanager
def quiet_native_log() -> Iterator[None]:
    """Descriptor 2 goes to a temporary file for the block; its lines are sorted afterwards."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            _sort(capture.read().decode("utf-8", "replace"))


def _sort(text: str) -> None:
    kept = []
    for line in text.splitlines(keepends=True):
        if is_chatter(line.rstrip("\n")):
            log.debug("native: %s", line.rstrip("\n"))
        else:
            kept.append(line)
    if kept:
        sys.stderr.write("".join(kept))
        sys.stderr.flush()
