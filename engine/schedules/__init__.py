"""Work schedules per day and public holidays."""
