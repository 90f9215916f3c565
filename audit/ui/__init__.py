"""Everything that talks to the terminal (rich, questionary) lives here, and only here."""
