"""The console email backend for local work: messages printed as a person reads them.

Django's console backend prints the message as it would go on the wire. A text part
with a line longer than 78 characters (an invitation or verification link with its
secret) is then quoted-printable, as the stdlib's email package rightly picks for
SMTP: the printed link carries a soft break (`=` and a newline) and a copy of it
is not valid. Mail clients decode that; a terminal does not. So this backend prints
the headers and each text part decoded (`get_content()`), every line whole, and
leaves the wire format of real mail (SMTP in production) exactly as the stdlib
makes it; forcing 8bit bodies instead would send over-long lines to SMTP servers.
Attachments are listed, not printed.
"""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

RULE = "-" * 79


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        msg = message.message()
        lines = [f"{name}: {value}" for name, value in msg.items()]
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part.get_content_maintype() == "text" and not part.is_attachment():
                lines += ["", f"[{part.get_content_type()}]", part.get_content()]
            else:
                name = part.get_filename() or "unnamed"
                size = len(part.get_payload(decode=True) or b"")
                lines += [
                    "",
                    f"[attachment {name}: {part.get_content_type()}, {size} bytes]",
                ]
        self.stream.write("\n".join(lines).rstrip("\n") + "\n")
        self.stream.write(RULE + "\n")
