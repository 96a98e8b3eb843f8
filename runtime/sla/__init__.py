"""SLA clocks in business time, warnings, escalations, and the sweep that fires them once."""
