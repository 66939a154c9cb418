"""«¿Y si…?» pages shared by an assessment's report and a trainer's view of a participant."""
