"""E-mail to attendees: composed from templates/mail/, queued in the outbox, sent with retries."""
