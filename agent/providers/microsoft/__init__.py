"""The `microsoft365` (Graph) and `exchange` (EWS) backends."""
