"""The domain's models: conditions, questionnaires, answers, countries and
the vocabulary of levels and states. Above io, below the knowledge base."""
