"""What the web app keeps in its database: the engine and the migrations, the
assessments, the workshops, the rendered reports, and what expires."""
