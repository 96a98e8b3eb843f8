"""The runtime: interpreting published ticket-type definitions. One subpackage per capability."""
