"""The scopes the authorization server offers: to /mcp (what the MCP server
enforces), and to the apps that sign their users in here (OpenID Connect)."""

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

# What a sign-in client (an app of the team that signs its users in through this
# one, README "Cross-app sign-in") asks for: who the user is, nothing to act with.
OPENID = "openid"
SIGN_IN_SCOPES = (OPENID, "email", "profile")
