"""The Model Context Protocol server: the registry's actions as MCP tools.

Served over Streamable HTTP at `/mcp` (JSON answers, stateless: no SSE stream and no
session to keep) and over stdio by `manage.py mcp`; both hand each JSON-RPC message
to the one dispatcher (`actions.mcp.dispatch`), which runs tools through the one
runner in the caller's context (`orgs.context.caller_context`, caller kind MCP).

This package is `actions.mcp`, not `mcp`: that name is the official SDK's, which the
tests use as a client.
"""
