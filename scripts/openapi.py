"""Generates Sources/TodoAPI/Operations/OpenAPIDocument.swift, the OpenAPI 3.1 document of serve-api.
Edit this file, then run: python3 scripts/openapi.py
With --check it writes nothing and fails when the Swift file is not what this script generates (the test suite runs it)."""
import json
import pathlib
import sys
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def js(schema, desc="OK"): return {"description": desc, "content": {"application/json": {"schema": schema}}}
E = {
 "400": err("Malformed JSON or parameters"),
 "401": err("No valid session or token"),
 "403": err("Untrusted Origin for a cookie-authenticated change, or another user's id in the path"),
 "404": err("No such task for this user"),
 "413": err("Body over 64 KiB"),
 "415": err("Body is not application/json"),
 "422": err("A field breaks a rule; `field` names it"),
 "429": err("Rate limit reached; see Retry-After"),
 "503": err("The database is unavailable; retry later"),
 "409": err("Not now: another reply runs (TURN_RUNNING), the turn is not the last (TURN_NOT_LAST), or none runs (NO_RUNNING_TURN)"),
}
NAMES = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "413": "TooLarge",
         "415": "UnsupportedMediaType", "422": "ValidationFailed", "429": "TooManyRequests", "503": "Unavailable",
         "409": "Conflict"}
RPC = {"400": "Malformed message, missing session header or unsupported protocol version", "403": "Untrusted Origin",
       "404": "Unknown or expired session", "406": "Accept allows neither JSON nor SSE", "409": "The session already has a stream",
       "415": "Body is not application/json"}
def rpc(*codes): return {c: {"description": RPC[c], "content": {"application/json": {"schema": ref("JSONRPCResponse")}}} for c in codes}
def errs(*codes): return {c: {"$ref": f"#/components/responses/{NAMES[c]}"} for c in codes}
# /mcp without its database: the sign-in check answers in the API's shape, the session store in JSON-RPC's.
MCP503 = {"503": {"description": "The database is unavailable (checking the token, or the shared session store); see Retry-After",
                  "content": {"application/json": {"schema": {"oneOf": [ref("Error"), ref("JSONRPCResponse")]}}}}}
sec = [{"bearer": []}, {"cookie": []}]
idp = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "format": "int64", "minimum": 1}}
uidp = {"name": "user_id", "in": "path", "required": True, "schema": {"type": "string"}}
listparams = [
 {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["all", "pending", "completed"]}},
 {"name": "priority", "in": "query", "schema": {"type": "string", "enum": ["low", "medium", "high"]}},
 {"name": "tag", "in": "query", "schema": {"type": "string"}},
 {"name": "q", "in": "query", "description": "Text searched in title and description", "schema": {"type": "string"}},
 {"name": "due_before", "in": "query", "schema": {"type": "string", "format": "date-time"}},
 {"name": "due_after", "in": "query", "schema": {"type": "string", "format": "date-time"}},
 {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["created", "updated", "title", "due", "priority"]}},
 {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
 {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
 {"name": "cursor", "in": "query", "description": "`next_cursor` of the previous page", "schema": {"type": "string"}},
]
PARAMS = {p["name"]: p for p in listparams + [idp, uidp]}
def pref(p): return {"$ref": f"#/components/parameters/{p['name']}"}
listparams_refs = [pref(p) for p in listparams]
idp_ref, uidp_ref = pref(idp), pref(uidp)
body = lambda schema: {"required": True, "content": {"application/json": {"schema": schema}}}
taskops = lambda legacy: {
 "list": {"summary": "List the caller's tasks", "operationId": "listTasks" + legacy, "security": sec, "parameters": ([uidp_ref] if legacy else []) + listparams_refs,
          "responses": {"200": js({"type": "array", "items": ref("Task")} if legacy else ref("TaskList")), **errs("400", "401", "403", "422", "429", "503")}},
 "create": {"summary": "Create a task", "operationId": "createTask" + legacy, "security": sec, "parameters": [uidp_ref] if legacy else [], "requestBody": body(ref("NewTask")),
          "responses": {"201": js(ref("Task"), "Created"), **errs("400", "401", "403", "413", "415", "422", "429", "503")}},
 "get": {"summary": "Read a task", "operationId": "getTask" + legacy, "security": sec, "parameters": ([uidp_ref] if legacy else []) + [idp_ref],
          "responses": {"200": js(ref("Task")), **errs("401", "403", "404", "422", "429", "503")}},
 "put": {"summary": "Replace a task (absent fields take their defaults)", "operationId": "replaceTask" + legacy, "security": sec, "parameters": ([uidp_ref] if legacy else []) + [idp_ref], "requestBody": body(ref("NewTask")),
          "responses": {"200": js(ref("Task")), **errs("400", "401", "403", "404", "413", "415", "422", "429", "503")}},
 "patch": {"summary": "Change some fields of a task (null clears one)", "operationId": "patchTask", "security": sec, "parameters": [idp_ref], "requestBody": body(ref("TaskPatch")),
          "responses": {"200": js(ref("Task")), **errs("400", "401", "403", "404", "413", "415", "422", "429", "503")}},
 "delete": {"summary": "Delete a task (restorable for 7 days)", "operationId": "deleteTask" + legacy, "security": sec, "parameters": ([uidp_ref] if legacy else []) + [idp_ref],
          "responses": {"204": {"description": "Deleted"}, **errs("401", "403", "404", "422", "429", "503")}},
 "complete": {"summary": "Toggle completion, or set it with {\"completed\": bool}", "operationId": "completeTask" + legacy, "security": sec, "parameters": ([uidp_ref] if legacy else []) + [idp_ref],
          "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {"completed": {"type": "boolean"}}}}}},
          "responses": {"200": js(ref("CompletedTask")), **errs("400", "401", "403", "404", "413", "415", "422", "429", "503")}},
 "restore": {"summary": "Restore a task deleted in the last 7 days, with its id and every field (undo)", "operationId": "restoreTask" + legacy, "security": sec,
          "parameters": ([uidp_ref] if legacy else []) + [idp_ref],
          "responses": {"200": js(ref("Task")), **errs("401", "403", "404", "422", "429", "503")}},
}
t = taskops(""); l = taskops("Original")
chat = lambda legacy: {
 "summary": "One turn with the agent: JSON, or SSE events (conversation, text-delta, tool-call, tool-result, done, error) with Accept: text/event-stream",
 "operationId": "chat" + legacy, "security": sec, "parameters": [uidp_ref] if legacy else [],
 "requestBody": body(ref("ChatRequest")),
 "responses": {"200": {"description": "The answer", "content": {"application/json": {"schema": ref("ChatResponse")}, "text/event-stream": {"schema": {"type": "string"}}}},
               **errs("400", "401", "403", "404", "409", "413", "415", "422", "429", "503")}}
nullable = lambda s: {**s, "type": [s["type"], "null"]}
doc = {
 "openapi": "3.1.0",
 "info": {"title": "todo-chatbot API", "version": "0.1.0", "description": "Accounts (Better Auth-compatible), tasks, chat with the agent, MCP and operations. Errors share one shape: {\"error\":{\"code\",\"message\",\"field\"}}."},
 "paths": {
  "/health": {"get": {"summary": "Liveness", "operationId": "health", "responses": {"200": js(ref("Health"))}}},
  "/ready": {"get": {"summary": "Readiness: the database answers", "operationId": "ready", "responses": {"200": js(ref("Readiness")), "503": js(ref("Readiness"), "The database is unreachable")}}},
  "/metrics": {"get": {"summary": "Prometheus metrics", "operationId": "metrics", "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
  "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
  "/api/auth/sign-up/email": {"post": {"summary": "Create an account and sign in (token null while the email waits for verification)", "operationId": "signUp", "requestBody": body(ref("SignUp")),
      "responses": {"200": js(ref("SignUpResult")), **errs("400", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/sign-in/email": {"post": {"summary": "Sign in with email and password", "operationId": "signIn", "requestBody": body(ref("SignIn")),
      "responses": {"200": js(ref("SignInResult")), **errs("400", "401", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/sign-out": {"post": {"summary": "End the session", "operationId": "signOut", "responses": {"200": js({"type": "object", "required": ["success"], "properties": {"success": {"type": "boolean"}}}), **errs("503")}}},
  "/api/auth/get-session": {"get": {"summary": "The current session, or null", "operationId": "getSession", "responses": {"200": js({"oneOf": [{"type": "null"}, ref("SessionResult")]}), **errs("503")}}},
  "/api/auth/token": {"get": {"summary": "A 15-minute EdDSA JWT for the signed-in user", "operationId": "token", "security": sec,
      "responses": {"200": js({"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}), **errs("401", "503")}}},
  "/api/auth/jwks": {"get": {"summary": "Public keys of our JWTs", "operationId": "jwks", "responses": {"200": js({"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array", "items": {"type": "object"}}}}), **errs("503")}}},
  "/api/auth/ok": {"get": {"summary": "Better Auth's liveness answer", "operationId": "authOk", "responses": {"200": js({"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}})}}},
  "/api/auth/update-user": {"post": {"summary": "Change the name or image (null removes it)", "operationId": "updateUser", "security": sec,
      "requestBody": body({"type": "object", "properties": {"name": {"type": "string"}, "image": {"type": ["string", "null"]}}}),
      "responses": {"200": js(ref("Status")), **errs("400", "401", "403", "413", "415", "422", "503")}}},
  "/api/auth/change-password": {"post": {"summary": "Change the password; revokeOtherSessions ends every session and returns a new one", "operationId": "changePassword", "security": sec,
      "requestBody": body({"type": "object", "required": ["currentPassword", "newPassword"], "properties": {"currentPassword": {"type": "string"}, "newPassword": {"type": "string"}, "revokeOtherSessions": {"type": "boolean"}}}),
      "responses": {"200": js({"type": "object", "required": ["token", "user"], "properties": {"token": {"type": ["string", "null"]}, "user": ref("User")}}), **errs("400", "401", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/list-sessions": {"get": {"summary": "The caller's live sessions, newest first", "operationId": "listSessions", "security": sec,
      "responses": {"200": js({"type": "array", "items": ref("Session")}), **errs("401", "503")}}},
  "/api/auth/revoke-session": {"post": {"summary": "End one of the caller's sessions by its token", "operationId": "revokeSession", "security": sec,
      "requestBody": body({"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}),
      "responses": {"200": js(ref("Status")), **errs("400", "401", "403", "413", "415", "422", "503")}}},
  "/api/auth/revoke-other-sessions": {"post": {"summary": "End every session of the caller but this one", "operationId": "revokeOtherSessions", "security": sec,
      "responses": {"200": js(ref("Status")), **errs("401", "403", "503")}}},
  "/api/auth/revoke-sessions": {"post": {"summary": "End every session of the caller, this one included", "operationId": "revokeSessions", "security": sec,
      "responses": {"200": js(ref("Status")), **errs("401", "403", "503")}}},
  "/api/auth/delete-user": {"post": {"summary": "Delete the account and all its data; needs the password unless the session is less than a day old", "operationId": "deleteUser", "security": sec,
      "requestBody": body({"type": "object", "properties": {"password": {"type": "string"}}}),
      "responses": {"200": js({"type": "object", "required": ["success", "message"], "properties": {"success": {"type": "boolean"}, "message": {"type": "string"}}}), **errs("400", "401", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/request-password-reset": {"post": {"summary": "Email a one-hour, single-use reset link; the same answer whether or not the email has an account", "operationId": "requestPasswordReset",
      "requestBody": body({"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}, "redirectTo": {"type": "string"}}}),
      "responses": {"200": js({"type": "object", "required": ["status", "message"], "properties": {"status": {"type": "boolean"}, "message": {"type": "string"}}}), **errs("400", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/forget-password": {"post": {"summary": "The older name of request-password-reset", "operationId": "forgetPassword",
      "requestBody": body({"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}, "redirectTo": {"type": "string"}}}),
      "responses": {"200": js({"type": "object", "required": ["status", "message"], "properties": {"status": {"type": "boolean"}, "message": {"type": "string"}}}), **errs("400", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/reset-password/{token}": {"get": {"summary": "The link in the reset email: to callbackURL with token=, or error=INVALID_TOKEN", "operationId": "resetPasswordCallback",
      "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}, {"name": "callbackURL", "in": "query", "required": False, "schema": {"type": "string"}}],
      "responses": {"302": {"description": "To the callback, with token= or error=CODE", "headers": {"Location": {"schema": {"type": "string"}}}}, **errs("403", "503")}}},
  "/api/auth/reset-password": {"post": {"summary": "Set a new password with a reset token (single use; every session ends)", "operationId": "resetPassword",
      "parameters": [{"name": "token", "in": "query", "required": False, "schema": {"type": "string"}}],
      "requestBody": body({"type": "object", "required": ["newPassword"], "properties": {"newPassword": {"type": "string"}, "token": {"type": "string"}}}),
      "responses": {"200": js(ref("Status")), **errs("400", "413", "415", "422", "503")}}},
  "/api/auth/send-verification-email": {"post": {"summary": "Email a verification link (signed in: the caller's unverified email)", "operationId": "sendVerificationEmail",
      "requestBody": body({"type": "object", "required": ["email"], "properties": {"email": {"type": "string"}, "callbackURL": {"type": "string"}}}),
      "responses": {"200": js(ref("Status")), **errs("400", "403", "413", "415", "422", "429", "503")}}},
  "/api/auth/verify-email": {"get": {"summary": "The link in a verification or change email: verifies (or changes) the email", "operationId": "verifyEmail",
      "parameters": [{"name": "token", "in": "query", "required": True, "schema": {"type": "string"}}, {"name": "callbackURL", "in": "query", "required": False, "schema": {"type": "string"}}],
      "responses": {"200": js({"type": "object", "required": ["status", "user"], "properties": {"status": {"type": "boolean"}, "user": {"oneOf": [{"type": "null"}, ref("User")]}}}),
                    "302": {"description": "To the callback, with token= or error=CODE", "headers": {"Location": {"schema": {"type": "string"}}}}, **errs("401", "403", "503")}}},
  "/api/auth/change-email": {"post": {"summary": "Email a link to the new address; the email changes when it is followed", "operationId": "changeEmail", "security": sec,
      "requestBody": body({"type": "object", "required": ["newEmail"], "properties": {"newEmail": {"type": "string"}, "callbackURL": {"type": "string"}}}),
      "responses": {"200": js(ref("Status")), **errs("400", "401", "403", "413", "415", "422", "429", "503")}}},
  "/api/tasks": {"get": t["list"], "post": t["create"]},
  "/api/tasks/{id}": {"get": t["get"], "put": t["put"], "patch": t["patch"], "delete": t["delete"]},
  "/api/tasks/{id}/complete": {"patch": t["complete"]},
  "/api/tasks/{id}/restore": {"post": t["restore"]},
  "/api/{user_id}/tasks": {"get": l["list"], "post": l["create"]},
  "/api/{user_id}/tasks/{id}": {"get": l["get"], "put": l["put"], "delete": l["delete"]},
  "/api/{user_id}/tasks/{id}/complete": {"patch": l["complete"]},
  "/api/{user_id}/tasks/{id}/restore": {"post": l["restore"]},
  "/api/chat": {"post": chat("")},
  "/api/{user_id}/chat": {"post": chat("Original")},
  "/api/conversations": {"get": {"summary": "The caller's conversations, most recent first", "operationId": "listConversations", "security": sec,
      "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
      "responses": {"200": js({"type": "object", "required": ["conversations"], "properties": {"conversations": {"type": "array", "items": ref("Conversation")}}}),
                    **errs("401", "422", "429", "503")}}},
  "/api/conversations/{id}": {
   "get": {"summary": "A conversation and its messages, oldest first", "operationId": "getConversation", "security": sec,
           "parameters": [idp_ref, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}],
           "responses": {"200": js({"type": "object", "required": ["conversation", "messages"], "properties": {"conversation": ref("Conversation"), "messages": {"type": "array", "items": ref("ChatMessage")}}}),
                         **errs("401", "404", "422", "429", "503")}},
   "patch": {"summary": "Rename a conversation", "operationId": "renameConversation", "security": sec, "parameters": [idp_ref],
             "requestBody": body({"type": "object", "required": ["title"], "properties": {"title": {"type": "string", "maxLength": 200}}}),
             "responses": {"200": js(ref("Conversation")), **errs("400", "401", "403", "404", "413", "415", "422", "429", "503")}},
   "delete": {"summary": "Delete a conversation and its messages", "operationId": "deleteConversation", "security": sec, "parameters": [idp_ref],
              "responses": {"204": {"description": "Deleted"}, **errs("401", "403", "404", "422", "429", "503")}},
  },
  "/api/conversations/{id}/cancel": {"post": {
      "summary": "Stop the conversation's running reply, on whichever replica runs it; what it wrote and the tool calls it made are kept",
      "operationId": "cancelTurn", "security": sec, "parameters": [idp_ref],
      "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {"turn_id": {"type": "string", "description": "Stop only this turn"}}}}}},
      "responses": {"202": js({"type": "object", "required": ["turn_id", "status"], "properties": {"turn_id": {"type": "string"}, "status": {"type": "string", "enum": ["stopping", "stopped"]}}},
                              "The turn is stopping (or, when its replica was gone, stopped)"),
                    **errs("400", "401", "403", "404", "409", "413", "415", "422", "429", "503")}}},
  "/api/conversations/{id}/regenerate": {"post": {
      "summary": "Run the conversation's last turn again with the same message, replacing it (JSON, or SSE with Accept: text/event-stream)",
      "operationId": "regenerateTurn", "security": sec, "parameters": [idp_ref],
      "requestBody": {"required": False, "content": {"application/json": {"schema": ref("TurnChoice")}}},
      "responses": {"200": {"description": "The answer", "content": {"application/json": {"schema": ref("ChatResponse")}, "text/event-stream": {"schema": {"type": "string"}}}},
                    **errs("400", "401", "403", "404", "409", "413", "415", "422", "429", "503")}}},
  "/api/conversations/{id}/edit": {"post": {
      "summary": "Replace the conversation's last turn with a new message (JSON, or SSE with Accept: text/event-stream)",
      "operationId": "editTurn", "security": sec, "parameters": [idp_ref],
      "requestBody": body({"allOf": [ref("TurnChoice"), {"type": "object", "required": ["message"]}]}),
      "responses": {"200": {"description": "The answer", "content": {"application/json": {"schema": ref("ChatResponse")}, "text/event-stream": {"schema": {"type": "string"}}}},
                    **errs("400", "401", "403", "404", "409", "413", "415", "422", "429", "503")}}},
  "/api/events": {"get": {
      "summary": "Live updates (SSE): ready, task.created|updated|completed|deleted|restored, conversation.created|updated|deleted, reminder; resumes after Last-Event-ID",
      "operationId": "events", "security": sec,
      "parameters": [{"name": "Last-Event-ID", "in": "header", "schema": {"type": "string", "pattern": "^[0-9]+$"}},
                     {"name": "after", "in": "query", "description": "Like Last-Event-ID, for clients that cannot set headers", "schema": {"type": "integer", "minimum": 0}}],
      "responses": {"200": {"description": "An endless event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                    **errs("401", "422", "429", "503")}}},
  "/mcp": {
   "parameters": [{"$ref": "#/components/parameters/MCP-Session-Id"}, {"$ref": "#/components/parameters/MCP-Protocol-Version"}],
   "post": {"summary": "MCP Streamable HTTP: one JSON-RPC message; a request is answered as JSON or SSE as Accept asks", "operationId": "mcpPost",
            "security": [{"bearer": []}], "requestBody": body(ref("JSONRPCMessage")),
            "responses": {"200": {"description": "The JSON-RPC response (a result or an error)", "content": {
                             "application/json": {"schema": ref("JSONRPCResponse")}, "text/event-stream": {"schema": {"type": "string"}}}},
                          "202": {"description": "A notification or response was accepted"},
                          **rpc("400", "403", "404", "406", "415"), **errs("401", "413", "429"), **MCP503}},
   "get": {"summary": "MCP Streamable HTTP: the session's stream of server-initiated messages", "operationId": "mcpStream", "security": [{"bearer": []}],
           "responses": {"200": {"description": "Server-sent events", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                         **rpc("400", "403", "404", "406", "409"), **errs("401", "429"), **MCP503}},
   "delete": {"summary": "MCP Streamable HTTP: end the session", "operationId": "mcpEnd", "security": [{"bearer": []}],
              "responses": {"204": {"description": "Ended"}, **rpc("400", "403", "404"), **errs("401", "429"), **MCP503}},
  },
 },
 "components": {
  "responses": {NAMES[c]: E[c] for c in E},
  "parameters": {**PARAMS,
   "MCP-Session-Id": {"name": "MCP-Session-Id", "in": "header", "required": False, "schema": {"type": "string"}, "description": "The session, from the answer to initialize"},
   "MCP-Protocol-Version": {"name": "MCP-Protocol-Version", "in": "header", "required": False, "schema": {"type": "string"}, "description": "The negotiated protocol version"}},
  "securitySchemes": {
   "bearer": {"type": "http", "scheme": "bearer", "description": "A session token (plain or signed) or a JWT"},
   "cookie": {"type": "apiKey", "in": "cookie", "name": "better-auth.session_token"},
  },
  "schemas": {
   "Error": {"type": "object", "required": ["error"], "description": "code and message are also at the top, where Better Auth's clients read them", "properties": {
      "code": {"type": "string"}, "message": {"type": "string"},
      "error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}},
   "Health": {"type": "object", "required": ["status", "role", "version", "agent"], "properties": {"status": {"type": "string"}, "role": {"type": "string"}, "version": {"type": "string"},
      "agent": {"type": "string", "description": "offline, or openai:<model>"}}},
   "Readiness": {"type": "object", "required": ["status", "database"], "properties": {"status": {"type": "string", "enum": ["ready", "unavailable"]}, "database": {"type": "string"}, "reason": {"type": "string"}}},
   "User": {"type": "object", "required": ["id", "name", "email", "emailVerified", "createdAt", "updatedAt"], "properties": {
      "id": {"type": "string"}, "name": {"type": "string"}, "email": {"type": "string"}, "emailVerified": {"type": "boolean"},
      "image": {"type": ["string", "null"]}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}},
   "Session": {"type": "object", "required": ["id", "token", "userId", "expiresAt", "createdAt", "updatedAt"], "properties": {
      "id": {"type": "string"}, "token": {"type": "string"}, "userId": {"type": "string"}, "expiresAt": {"type": "string", "format": "date-time"},
      "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
      "ipAddress": {"type": ["string", "null"]}, "userAgent": {"type": ["string", "null"]}}},
   "SignUp": {"type": "object", "required": ["name", "email", "password"], "properties": {"name": {"type": "string"}, "email": {"type": "string"}, "password": {"type": "string"}, "callbackURL": {"type": "string"}, "rememberMe": {"type": "boolean"}}},
   "SignIn": {"type": "object", "required": ["email", "password"], "properties": {"email": {"type": "string"}, "password": {"type": "string"}, "callbackURL": {"type": "string"}, "rememberMe": {"type": "boolean"}}},
   "SignUpResult": {"type": "object", "required": ["token", "user"], "properties": {"token": {"type": ["string", "null"]}, "user": ref("User")}},
   "SignInResult": {"type": "object", "required": ["redirect", "token", "user"], "properties": {"redirect": {"type": "boolean"}, "token": {"type": "string"}, "url": {"type": "string"}, "user": ref("User")}},
   "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "boolean"}}},
   "SessionResult": {"type": "object", "required": ["session", "user"], "properties": {"session": ref("Session"), "user": ref("User")}},
   "Task": {"type": "object", "required": ["id", "user_id", "title", "description", "completed", "priority", "tags", "created_at", "updated_at"], "properties": {
      "id": {"type": "integer", "format": "int64"}, "user_id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
      "completed": {"type": "boolean"}, "priority": {"type": "string", "enum": ["low", "medium", "high"]}, "tags": {"type": "array", "items": {"type": "string"}},
      "due_at": {"type": ["string", "null"], "format": "date-time"}, "recurrence": {"type": ["string", "null"], "enum": ["daily", "weekly", "monthly", None]},
      "completed_at": {"type": ["string", "null"], "format": "date-time"},
      "remind_at": {"type": ["string", "null"], "format": "date-time", "description": "An absolute reminder"},
      "remind_before_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 40320, "description": "A reminder this many minutes before due_at"},
      "reminder_at": {"type": ["string", "null"], "format": "date-time", "description": "When this occurrence's reminder fires (read-only)"},
      "reminded_at": {"type": ["string", "null"], "format": "date-time", "description": "When it was delivered (read-only)"},
      "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
   "ChatRequest": {"type": "object", "required": ["message"], "properties": {
      "message": {"type": "string", "minLength": 1, "maxLength": 4000}, "conversation_id": {"type": "integer", "format": "int64", "minimum": 1},
      "time_zone": {"type": "string", "description": "IANA time zone for dates such as tomorrow; default UTC"},
      "replace_turn_id": {"type": "string", "description": "The conversation's last turn, to regenerate (same message) or edit (new message): its messages are replaced"}}},
   "TurnChoice": {"type": "object", "properties": {
      "turn_id": {"type": "string", "description": "The turn meant; 409 TURN_NOT_LAST when it is no longer the last"},
      "message": {"type": "string", "minLength": 1, "maxLength": 4000, "description": "The new message (edit)"},
      "time_zone": {"type": "string"}}},
   "ToolStep": {"type": "object", "required": ["id", "name", "arguments", "result", "is_error"], "properties": {
      "id": {"type": "string"}, "name": {"type": "string"}, "arguments": {}, "result": {}, "is_error": {"type": "boolean"}}},
   "ChatResponse": {"type": "object", "required": ["conversation_id", "response", "tool_calls", "turn_id", "status"], "properties": {
      "conversation_id": {"type": "integer", "format": "int64"}, "response": {"type": "string"}, "tool_calls": {"type": "array", "items": ref("ToolStep")},
      "turn_id": {"type": "string"}, "status": {"type": "string", "enum": ["completed", "stopped"]}}},
   "Conversation": {"type": "object", "required": ["id", "user_id", "title", "created_at", "updated_at"], "properties": {
      "id": {"type": "integer", "format": "int64"}, "user_id": {"type": "string"}, "title": {"type": "string"},
      "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
   "ChatMessage": {"type": "object", "required": ["id", "role", "content", "tool_calls", "turn_id", "status", "created_at"], "properties": {
      "turn_id": {"type": ["string", "null"], "description": "The turn the message belongs to; null on messages stored before turns had ids"},
      "status": {"type": ["string", "null"], "enum": ["stopped", "interrupted", "failed", None], "description": "How an answer ended when it did not complete"},
      "id": {"type": "integer", "format": "int64"}, "role": {"type": "string", "enum": ["user", "assistant", "tool", "system"]}, "content": {"type": "string"},
      "tool_calls": {"oneOf": [{"type": "null"}, {"type": "array", "items": ref("ToolStep")}]}, "created_at": {"type": "string", "format": "date-time"}}},
   "JSONRPCMessage": {"type": "object", "required": ["jsonrpc"], "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "integer"]},
      "method": {"type": "string"}, "params": {"type": "object"}, "result": {}, "error": {}}},
   "JSONRPCResponse": {"type": "object", "required": ["jsonrpc", "id"], "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "integer", "null"]},
      "result": {"type": "object"}, "error": ref("JSONRPCError")}},
   "JSONRPCError": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "integer"}, "message": {"type": "string"}, "data": {}}},
   "CompletedTask": {"allOf": [ref("Task"), {"type": "object", "required": ["next_occurrence"], "properties": {"next_occurrence": {"oneOf": [{"type": "null"}, ref("Task")]}}}]},
   "TaskList": {"type": "object", "required": ["tasks", "next_cursor"], "properties": {"tasks": {"type": "array", "items": ref("Task")}, "next_cursor": {"type": ["string", "null"]}}},
   "NewTask": {"type": "object", "required": ["title"], "properties": {
      "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": {"type": "string", "maxLength": 1000},
      "priority": {"type": "string", "enum": ["low", "medium", "high"]}, "tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "minLength": 1, "maxLength": 32}},
      "due_at": {"type": "string", "format": "date-time"}, "recurrence": {"type": "string", "enum": ["daily", "weekly", "monthly"]}, "completed": {"type": "boolean"},
      "remind_at": {"type": ["string", "null"], "format": "date-time", "description": "Remind at this moment; not with remind_before_minutes"},
      "remind_before_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 40320, "description": "Remind this long before due_at, which it needs"}}},
   "TaskPatch": {"type": "object", "properties": {
      "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": {"type": ["string", "null"], "maxLength": 1000},
      "priority": {"type": ["string", "null"], "enum": ["low", "medium", "high", None]}, "tags": {"type": ["array", "null"], "maxItems": 10, "items": {"type": "string", "minLength": 1, "maxLength": 32}},
      "due_at": {"type": ["string", "null"], "format": "date-time"}, "recurrence": {"type": ["string", "null"], "enum": ["daily", "weekly", "monthly", None]}, "completed": {"type": "boolean"},
      "remind_at": {"type": ["string", "null"], "format": "date-time", "description": "Remind at this moment; null clears the reminder"},
      "remind_before_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 40320, "description": "Remind this long before due_at; null clears the reminder"}}},
  },
 },
}
def pretty(value, level=0):
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + 2 * level <= 116 or not isinstance(value, (dict, list)):
        return flat
    pad = "  " * (level + 1)
    if isinstance(value, dict):
        items = [f'{pad}{json.dumps(k)}: {pretty(v, level + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    items = [pad + pretty(v, level + 1) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"
text = pretty(doc)
swift = '''// Generated by scripts/openapi.py; do not edit. Change the script, then run: python3 scripts/openapi.py

/// The OpenAPI 3.1 description of every route, served at `/openapi.json` and checked in CI by schemathesis
/// against the live server.
enum OpenAPIDocument {
    static let json = #"""
''' + text + '''
"""#
}
'''
target = pathlib.Path(__file__).resolve().parent.parent / "Sources/TodoAPI/Operations/OpenAPIDocument.swift"
if "--check" in sys.argv[1:]:
    if not target.exists() or target.read_text() != swift:
        sys.exit(f"{target.name} is out of date with scripts/openapi.py: run python3 scripts/openapi.py")
    print(f"{target.name} is up to date")
else:
    target.write_text(swift)
