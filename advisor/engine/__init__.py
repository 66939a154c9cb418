"""Forward chaining over the knowledge base: what both engines share, and the
compilers to experta (the default) and to CLIPS."""
