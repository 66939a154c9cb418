"""The questionnaires in the browser (``advisor serve``): an ASGI app with
server-rendered pages and the JSON API of CONTRACT §5, state in a database.

Layering: this package may import anything of advisor below it; only the CLI
imports it."""
