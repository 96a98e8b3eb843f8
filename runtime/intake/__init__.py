"""Machine-fed intake: inbound endpoints that turn another system's JSON (an MES alarm, a monitoring
event) into tickets, with idempotency by a source key and deduplication of repeated alarms."""
