"""The scheduling pages, by audience: ``candidate`` (companies, booking, waiting lists),
``candidate_applications`` (applying, proposals, wishes), ``calendars`` (the candidate's
agenda, everyone's private calendar feed), ``recruiter`` (applicants, the day) and
``organiser`` (the grid, the scheduler). They share ``blueprint.bp``."""
