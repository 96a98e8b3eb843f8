"""Business calendars: the hours, holidays and make-up working days SLA clocks count in."""
