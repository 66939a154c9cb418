"""Files in and out: safe reading of YAML and JSON, validation into models
with Spanish problems, atomic writes, untrusted text, the packaged data, the
cache, locks and the translation files. The bottom layer."""
