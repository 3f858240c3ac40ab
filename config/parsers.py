"""The API's one body parser: JSON, read so that no body can raise a server error."""

from rest_framework import exceptions, parsers

from config.jsonbody import JsonBodyError, loads_bounded


class JSONParser(parsers.JSONParser):
    """JSON bodies, read by `loads_bounded`: a malformed, too deeply nested or
    out-of-range body is a ParseError (400 `invalid_input`), never a RecursionError.

    JSON is UTF-8 (RFC 8259), so a `charset` in the Content-Type is not consulted.
    Any other Content-Type finds no parser: 415 `unsupported_media_type`.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return loads_bounded(stream.read())
        except JsonBodyError as error:
            raise exceptions.ParseError(str(error)) from None
