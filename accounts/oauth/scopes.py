"""The scopes an OAuth grant may carry to /mcp: the one vocabulary the authorization
server offers and the MCP server enforces."""

# Read-only actions (`Action.read_only`) only.
MCP_READ = "mcp:read"
# Every other action the user may run; holds no read rights by itself.
MCP_WRITE = "mcp:write"

MCP_SCOPES = (MCP_READ, MCP_WRITE)

# In words, for the consent page and the connected apps on /account/.
DESCRIPTIONS = {
    MCP_READ: "Read your data in the organization (run read-only actions)",
    MCP_WRITE: "Change your data in the organization (run actions that write)",
}
