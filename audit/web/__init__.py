"""`audit serve`: the prospects' self-assessment site and the agency's pages (ASGI).

A peer of `audit.ui`: it turns HTTP into the same calls the terminal makes (the session's
navigation, `assess`, the report renderers) over the store in `audit.store`. The URL map
and every form's field names are in the docstring of `audit.web.app`. Importing this
package is light: the CLI registers `serve` from `audit.web.command` at start-up.
"""
