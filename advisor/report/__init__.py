"""From an inference to what people read: the report model, its sentences,
the comparison of two reports, and the renderers (JSON, Markdown, HTML, the
memo, the chart)."""
