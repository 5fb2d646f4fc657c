"""The scheduling pages, by audience: ``candidate`` (companies, booking, waiting lists),
``candidate_applications`` (applying, proposals, wishes), ``calendars`` (the candidate's
agenda, everyone's private calendar feed), ``recruiter`` (applicants, the day),
``organiser`` (the grid, the export) and ``scheduler`` (the fair scheduler). They share ``blueprint.bp``."""
