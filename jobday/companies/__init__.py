"""Companies: registration, recruiters, participation per edition, job offers, interview plans."""
