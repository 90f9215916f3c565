"""The `audit serve` command group (kept light: the web stack is imported when it runs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

serve_app = typer.Typer(
    help="The prospects' self-assessment site and the agency's pages.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@serve_app.callback()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            metavar="URL",
            help="sqlite:///PATH or postgresql://USER@HOST/NAME "
            "(default: SQLite in the user data folder).",
        ),
    ] = None,
    pack: Annotated[str, typer.Option("--pack", help="Questionnaire pack.")] = "engagement",
    theme: Annotated[
        Path | None, typer.Option("--theme", help="A theme.yaml (default: the shipped theme).")
    ] = None,
    pdf_workers: Annotated[
        int, typer.Option("--pdf-workers", min=1, max=16, help="Processes rendering PDFs.")
    ] = 2,
) -> None:
    """Start the site (no option needed): prints its address and where the data lives."""
    ctx.obj = database
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from audit.web.app import create_app
    from audit.web.site import WebConfig

    config = WebConfig(database=database, pack=pack, theme=theme, pdf_workers=pdf_workers)
    app = create_app(config)
    site = app.state.site
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"audit serve: http://{shown}:{port}/ (agency pages: /agency/)")
    typer.echo(f"Data: {site.store.where}")
    if not _has_users(site.store):
        typer.echo("No agency account yet: create one with `audit serve add-user NAME`.")
    sys.stdout.flush()
    from audit.launch import default_collection

    default_collection()
    # loop and http "auto": uvloop and httptools (dependencies), else asyncio and h11.
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def _has_users(store: object) -> bool:
    from sqlalchemy import func, select

    from audit.store.database import Store
    from audit.store.schema import users

    assert isinstance(store, Store)
    with store.read() as connection:
        return bool(connection.execute(select(func.count()).select_from(users)).scalar())


@serve_app.command("add-user")
def add_user(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The agency user's name (letters, digits, . -).")],
) -> None:
    """Create an agency account; the password is prompted (or read from standard input)."""
    from audit.errors import UsageError
    from audit.store import Store
    from audit.web.auth import add_user as create_user

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    store = Store.open(ctx.obj)
    try:
        create_user(store, name, password)
    except ValueError as exc:
        raise UsageError(str(exc), expected="a longer password or another name") from None
    finally:
        store.close()
    typer.echo(f"Agency user '{name}' created in {store.where}.")


@serve_app.command("backup")
def backup(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="The copy to write (must not exist yet).")],
) -> None:
    """Copy the SQLite database consistently, even while the site runs."""
    from audit.store import Store
    from audit.store.database import backup_sqlite

    store = Store.open(ctx.obj)
    try:
        typer.echo(str(backup_sqlite(store, output)))
    finally:
        store.close()
