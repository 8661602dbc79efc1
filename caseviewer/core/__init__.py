"""Qt-free core: models, API clients, errors, cache, repository, profiles and secrets."""
