"""The rule engine (JsonLogic compiled to closures), the compiled definition and its cache, the rule context."""
