"""The knowledge base: rules, classifications and catalogues read from the
packaged YAML, checked as a whole (kb check), with the guide they cite. It
knows no engine."""
