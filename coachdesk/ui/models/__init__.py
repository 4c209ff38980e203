"""Qt item models over services: they hold row keys and fetch rows lazily."""
