"""param-lint."""
