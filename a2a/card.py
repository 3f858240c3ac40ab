"""The agent card: who this agent is, how to call it, and what it can do."""

from a2a.app_settings import app_settings
from a2a.tokens import a2a_url
from actions import registry

PROTOCOL_VERSION = "1.0"


def agent_card() -> dict:
    return {
        "name": app_settings.AGENT_NAME,
        "description": app_settings.AGENT_DESCRIPTION,
        "version": app_settings.AGENT_VERSION,
        "supportedInterfaces": [
            {
                "url": a2a_url(),
                "protocolBinding": "JSONRPC",
                "protocolVersion": PROTOCOL_VERSION,
            }
        ],
        "capabilities": {"streaming": False, "pushNotifications": False},
        "defaultInputModes": ["application/json"],
        "defaultOutputModes": ["application/json"],
        "skills": [
            {
                "id": action.name,
                "name": action.name,
                "description": action.description,
                "tags": list(action.tags) or ["action"],
                "inputModes": ["application/json"],
                "outputModes": ["application/json"],
            }
            for action in registry.all_actions()
            if action.agent_tool
        ],
        "securitySchemes": {
            "a2aJwt": {
                "httpAuthSecurityScheme": {
                    "scheme": "Bearer",
                    "bearerFormat": "JWT",
                    "description": "HS256, shared secret; claims iss, sub (the "
                    "person's email), aud (this card's URL), iat, exp (<= 5 minutes), "
                    "jti (used once), optional org_id.",
                }
            }
        },
        "securityRequirements": [{"schemes": {"a2aJwt": {"list": []}}}],
    }
