"""Django's ``flush``, able to empty the audit trail along with everything else.

The audit table's triggers refuse every removal; this command holds the permit they allow while
it empties the whole database. The test framework runs ``flush`` between transactional tests,
and a person running it is asked first and told that the audit trail goes too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from safeguarding.web.audit.guard import purge_permitted


class Command(flush.Command):
    help = flush.Command.help + " The audit trail is emptied too."

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if options["interactive"]:
            answer = input(
                f"This will remove every record in the {database!r} database, the audit trail "
                "included, and cannot be undone. Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled: nothing was removed.")
                return
        with purge_permitted(database):
            super().handle(**{**options, "interactive": False})
