"""Vector and keyword indexes over chunks: LanceDB files (embedded) or pgvector (server)."""
