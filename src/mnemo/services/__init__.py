"""Business logic: the use cases that routes, the CLI and the worker call."""
