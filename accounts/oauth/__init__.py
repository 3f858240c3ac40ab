"""The template's OAuth 2.1 authorization server, for agent hosts connecting to /mcp.

allauth's OpenID Connect provider (`allauth.idp.oidc`) is the server; this package
is only the glue it lacks.
"""
