"""Filed documents' bytes on disk, named by their SHA-256 (content-addressed).

`DOCUMENTS_DIR` (default instance/documents/), two-hex-digit subfolders. A file is written
to a temporary name in its folder, flushed to disk and renamed into place, so that a crash
never leaves half a document under a real name; the same bytes filed twice are stored once.
Files are never removed: the record keeps stricken and sealed entries' documents too.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


def root() -> Path:
    configured = current_app.config.get("DOCUMENTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "documents"


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return root() / sha256[:2] / sha256


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(data: bytes) -> str:
    """Store the bytes (once) and return their SHA-256."""
    sha256 = digest(data)
    target = path_for(sha256)
    if target.exists() and target.stat().st_size == len(data):
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sha256
