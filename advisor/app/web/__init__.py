"""The questionnaires in the browser (``advisor serve``): an ASGI app with
server-rendered pages and the JSON API of CONTRACT §5, state in a database.

By feature, imports pointing down (tests/test_layers.py): ``answer_files``
(the chain shared with the CLI), ``storage/`` (the database), ``http/`` (the
plumbing every page and API call shares), then ``assessments/`` and
``workshops/``, which never import each other; ``app`` holds the one route
table, ``server`` runs it. This package may import anything of advisor below
it; only the CLI imports it."""
