"""A URL fetcher for WeasyPrint that reads only our own report files.

Everything in an answers file is untrusted. Templates escape it, and this fetcher is
the second wall: WeasyPrint's default fetcher would follow `http://169.254.169.254/` or
embed `file:///etc/passwd` if the HTML asked for it (an `<img>`, a stylesheet, a
`<link rel=attachment>`). Ours serves `file:` URLs under a few allowed folders (the
report templates and the theme's folder) and refuses everything else without touching
the network.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class RefusedURL(ValueError):
    """The report asked for a resource outside the allowed folders."""


def allowed_path(url: str, roots: Iterable[Path]) -> Path:
    """The local file `url` names if it lies under one of `roots`; raise RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise RefusedURL(f"refused {parts.scheme or 'relative'} URL: {url[:80]}")
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"refused remote file URL: {url[:80]}")
    path = Path(unquote(parts.path)).resolve()
    for root in roots:
        if path.is_relative_to(Path(root).resolve()) and path.is_file():
            return path
    raise RefusedURL(f"refused file outside the report folders: {url[:80]}")


def _content_type(path: Path) -> str:
    if path.suffix == ".svg":
        return "image/svg+xml"
    if path.suffix == ".ttf":
        return "font/ttf"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def restricted_fetcher(roots: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher serving only files under `roots` (imports WeasyPrint).

    WeasyPrint 68 and later take a `URLFetcher` object; older versions a function that
    returns a dict. Both refuse what `allowed_path` refuses.
    """
    import weasyprint.urls as urls

    allowed = [Path(r).resolve() for r in roots]
    if not hasattr(urls, "URLFetcherResponse"):

        def fetch_function(url: str, timeout: int = 10, **kwargs: Any) -> dict[str, Any]:
            path = allowed_path(url, allowed)
            return {
                "string": path.read_bytes(),
                "mime_type": _content_type(path),
                "redirected_url": path.as_uri(),
            }

        return fetch_function

    class RestrictedFetcher(urls.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = allowed_path(url, allowed)
            return urls.URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": _content_type(path)}
            )

    return RestrictedFetcher()
