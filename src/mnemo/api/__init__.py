"""HTTP and WebSocket entrypoints: parse, authorize, call a service, shape the response."""
