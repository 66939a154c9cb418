"""The version of advisor, shown by --version, in reports and in the API."""

__version__ = "0.1.0"
