"""The designer: drafts of ticket-type definitions, their format and validation, publishing, test
before publish, and industry templates. It uses the runtime (to validate and simulate rules); the
runtime never uses it."""
