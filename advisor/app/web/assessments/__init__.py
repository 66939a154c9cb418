"""One government's assessment (evaluación) in the browser and through the API:
starting or uploading it, answering section by section, reviewing, the report
and its downloads, a follow-up."""
