"""The organisers ' back office: dashboard, people, exports, campaigns, audit, retention, backups."""
