"""Automations (trigger, condition, actions), their timers and run log, and satisfaction surveys."""
