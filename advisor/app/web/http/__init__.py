"""The HTTP plumbing every feature shares: the request's stores and language,
rendering pages and JSON, forms and CSRF, refusals as messages, limits on
clients and requests."""
