"""Approvals: a workflow state that asks named people, a role, a team or the requester's manager to approve or
reject (any one of them, or all), with a deadline the SLA sweep enforces, signed one-click links and delegation."""
