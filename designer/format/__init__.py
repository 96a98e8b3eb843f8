"""The definition document: its format versions, canonical form, meta-schema and diff."""
