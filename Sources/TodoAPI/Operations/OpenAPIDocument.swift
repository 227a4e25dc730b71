/// The OpenAPI 3.1 description of every route, served at `/openapi.json` and checked in CI by schemathesis
/// against the live server.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "todo-chatbot API",
    "version": "0.1.0",
    "description": "Accounts (Better Auth-compatible), tasks, chat with the agent, MCP and operations. Errors share one shape: {\"error\":{\"code\",\"message\",\"field\"}}."
  },
  "paths": {
    "/health": {
      "get": {
        "summary": "Liveness",
        "operationId": "health",
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
          }
        }
      }
    },
    "/ready": {
      "get": {
        "summary": "Readiness: the database answers",
        "operationId": "ready",
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
          },
          "503": {
            "description": "The database is unreachable",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics",
        "operationId": "metrics",
        "responses": {
          "200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}
        }
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document",
        "operationId": "openapi",
        "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    },
    "/api/auth/sign-up/email": {
      "post": {
        "summary": "Create an account and sign in",
        "operationId": "signUp",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignUp"}}}},
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignUpResult"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/auth/sign-in/email": {
      "post": {
        "summary": "Sign in with email and password",
        "operationId": "signIn",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignIn"}}}},
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignInResult"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/auth/sign-out": {
      "post": {
        "summary": "End the session",
        "operationId": "signOut",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {"type": "object", "required": ["success"], "properties": {"success": {"type": "boolean"}}}
              }
            }
          },
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/auth/get-session": {
      "get": {
        "summary": "The current session, or null",
        "operationId": "getSession",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {"schema": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/SessionResult"}]}}
            }
          },
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/auth/token": {
      "get": {
        "summary": "A 15-minute EdDSA JWT for the signed-in user",
        "operationId": "token",
        "security": [{"bearer": []}, {"cookie": []}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {"schema": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/auth/jwks": {
      "get": {
        "summary": "Public keys of our JWTs",
        "operationId": "jwks",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["keys"],
                  "properties": {"keys": {"type": "array", "items": {"type": "object"}}}
                }
              }
            }
          },
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/tasks": {
      "get": {
        "summary": "List the caller's tasks",
        "operationId": "listTasks",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [
          {"$ref": "#/components/parameters/status"},
          {"$ref": "#/components/parameters/priority"},
          {"$ref": "#/components/parameters/tag"},
          {"$ref": "#/components/parameters/q"},
          {"$ref": "#/components/parameters/due_before"},
          {"$ref": "#/components/parameters/due_after"},
          {"$ref": "#/components/parameters/sort"},
          {"$ref": "#/components/parameters/order"},
          {"$ref": "#/components/parameters/limit"},
          {"$ref": "#/components/parameters/cursor"}
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaskList"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "post": {
        "summary": "Create a task",
        "operationId": "createTask",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewTask"}}}},
        "responses": {
          "201": {
            "description": "Created",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/tasks/{id}": {
      "get": {
        "summary": "Read a task",
        "operationId": "getTask",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "responses": {
          "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "put": {
        "summary": "Replace a task (absent fields take their defaults)",
        "operationId": "replaceTask",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewTask"}}}},
        "responses": {
          "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "patch": {
        "summary": "Change some fields of a task (null clears one)",
        "operationId": "patchTask",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaskPatch"}}}},
        "responses": {
          "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "delete": {
        "summary": "Delete a task",
        "operationId": "deleteTask",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "responses": {
          "204": {"description": "Deleted"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/tasks/{id}/complete": {
      "patch": {
        "summary": "Toggle completion, or set it with {\"completed\": bool}",
        "operationId": "completeTask",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "requestBody": {
          "required": false,
          "content": {"application/json": {"schema": {"type": "object", "properties": {"completed": {"type": "boolean"}}}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CompletedTask"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/{user_id}/tasks": {
      "get": {
        "summary": "List the caller's tasks",
        "operationId": "listTasksOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [
          {"$ref": "#/components/parameters/user_id"},
          {"$ref": "#/components/parameters/status"},
          {"$ref": "#/components/parameters/priority"},
          {"$ref": "#/components/parameters/tag"},
          {"$ref": "#/components/parameters/q"},
          {"$ref": "#/components/parameters/due_before"},
          {"$ref": "#/components/parameters/due_after"},
          {"$ref": "#/components/parameters/sort"},
          {"$ref": "#/components/parameters/order"},
          {"$ref": "#/components/parameters/limit"},
          {"$ref": "#/components/parameters/cursor"}
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "post": {
        "summary": "Create a task",
        "operationId": "createTaskOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/user_id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewTask"}}}},
        "responses": {
          "201": {
            "description": "Created",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/{user_id}/tasks/{id}": {
      "get": {
        "summary": "Read a task",
        "operationId": "getTaskOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/user_id"}, {"$ref": "#/components/parameters/id"}],
        "responses": {
          "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "put": {
        "summary": "Replace a task (absent fields take their defaults)",
        "operationId": "replaceTaskOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/user_id"}, {"$ref": "#/components/parameters/id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewTask"}}}},
        "responses": {
          "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "delete": {
        "summary": "Delete a task",
        "operationId": "deleteTaskOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/user_id"}, {"$ref": "#/components/parameters/id"}],
        "responses": {
          "204": {"description": "Deleted"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/{user_id}/tasks/{id}/complete": {
      "patch": {
        "summary": "Toggle completion, or set it with {\"completed\": bool}",
        "operationId": "completeTaskOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/user_id"}, {"$ref": "#/components/parameters/id"}],
        "requestBody": {
          "required": false,
          "content": {"application/json": {"schema": {"type": "object", "properties": {"completed": {"type": "boolean"}}}}}
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CompletedTask"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/chat": {
      "post": {
        "summary": "One turn with the agent: JSON, or SSE events (conversation, text-delta, tool-call, tool-result, done, error) with Accept: text/event-stream",
        "operationId": "chat",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChatRequest"}}}
        },
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/ChatResponse"}},
              "text/event-stream": {"schema": {"type": "string"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/{user_id}/chat": {
      "post": {
        "summary": "One turn with the agent: JSON, or SSE events (conversation, text-delta, tool-call, tool-result, done, error) with Accept: text/event-stream",
        "operationId": "chatOriginal",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/user_id"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChatRequest"}}}
        },
        "responses": {
          "200": {
            "description": "The answer",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/ChatResponse"}},
              "text/event-stream": {"schema": {"type": "string"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/conversations": {
      "get": {
        "summary": "The caller's conversations, most recent first",
        "operationId": "listConversations",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["conversations"],
                  "properties": {"conversations": {"type": "array", "items": {"$ref": "#/components/schemas/Conversation"}}}
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/api/conversations/{id}": {
      "get": {
        "summary": "A conversation and its messages, oldest first",
        "operationId": "getConversation",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["conversation", "messages"],
                  "properties": {
                    "conversation": {"$ref": "#/components/schemas/Conversation"},
                    "messages": {"type": "array", "items": {"$ref": "#/components/schemas/ChatMessage"}}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "patch": {
        "summary": "Rename a conversation",
        "operationId": "renameConversation",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": ["title"],
                "properties": {"title": {"type": "string", "maxLength": 200}}
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conversation"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "delete": {
        "summary": "Delete a conversation and its messages",
        "operationId": "deleteConversation",
        "security": [{"bearer": []}, {"cookie": []}],
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "responses": {
          "204": {"description": "Deleted"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/ValidationFailed"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/mcp": {
      "parameters": [{"$ref": "#/components/parameters/MCP-Session-Id"}, {"$ref": "#/components/parameters/MCP-Protocol-Version"}],
      "post": {
        "summary": "MCP Streamable HTTP: one JSON-RPC message; a request is answered as JSON or SSE as Accept asks",
        "operationId": "mcpPost",
        "security": [{"bearer": []}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCMessage"}}}
        },
        "responses": {
          "200": {
            "description": "The JSON-RPC response (a result or an error)",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}},
              "text/event-stream": {"schema": {"type": "string"}}
            }
          },
          "202": {"description": "A notification or response was accepted"},
          "400": {
            "description": "Malformed message, missing session header or unsupported protocol version",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "403": {
            "description": "Untrusted Origin",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "404": {
            "description": "Unknown or expired session",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "406": {
            "description": "Accept allows neither JSON nor SSE",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "415": {
            "description": "Body is not application/json",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "get": {
        "summary": "MCP Streamable HTTP: the session's stream of server-initiated messages",
        "operationId": "mcpStream",
        "security": [{"bearer": []}],
        "responses": {
          "200": {"description": "Server-sent events", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
          "400": {
            "description": "Malformed message, missing session header or unsupported protocol version",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "403": {
            "description": "Untrusted Origin",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "404": {
            "description": "Unknown or expired session",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "406": {
            "description": "Accept allows neither JSON nor SSE",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "409": {
            "description": "The session already has a stream",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      },
      "delete": {
        "summary": "MCP Streamable HTTP: end the session",
        "operationId": "mcpEnd",
        "security": [{"bearer": []}],
        "responses": {
          "204": {"description": "Ended"},
          "400": {
            "description": "Malformed message, missing session header or unsupported protocol version",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "403": {
            "description": "Untrusted Origin",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "404": {
            "description": "Unknown or expired session",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONRPCResponse"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "429": {"$ref": "#/components/responses/TooManyRequests"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    }
  },
  "components": {
    "responses": {
      "BadRequest": {
        "description": "Malformed JSON or parameters",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Unauthorized": {
        "description": "No valid session or token",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Forbidden": {
        "description": "Untrusted Origin for a cookie-authenticated change, or another user's id in the path",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "NotFound": {
        "description": "No such task for this user",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "TooLarge": {
        "description": "Body over 64 KiB",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "UnsupportedMediaType": {
        "description": "Body is not application/json",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "ValidationFailed": {
        "description": "A field breaks a rule; `field` names it",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "TooManyRequests": {
        "description": "Rate limit reached; see Retry-After",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Unavailable": {
        "description": "The database is unavailable; retry later",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      }
    },
    "parameters": {
      "status": {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["all", "pending", "completed"]}},
      "priority": {"name": "priority", "in": "query", "schema": {"type": "string", "enum": ["low", "medium", "high"]}},
      "tag": {"name": "tag", "in": "query", "schema": {"type": "string"}},
      "q": {
        "name": "q",
        "in": "query",
        "description": "Text searched in title and description",
        "schema": {"type": "string"}
      },
      "due_before": {"name": "due_before", "in": "query", "schema": {"type": "string", "format": "date-time"}},
      "due_after": {"name": "due_after", "in": "query", "schema": {"type": "string", "format": "date-time"}},
      "sort": {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": ["created", "updated", "title", "due", "priority"]}
      },
      "order": {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
      "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
      "cursor": {
        "name": "cursor",
        "in": "query",
        "description": "`next_cursor` of the previous page",
        "schema": {"type": "string"}
      },
      "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}},
      "user_id": {"name": "user_id", "in": "path", "required": true, "schema": {"type": "string"}},
      "MCP-Session-Id": {
        "name": "MCP-Session-Id",
        "in": "header",
        "required": false,
        "schema": {"type": "string"},
        "description": "The session, from the answer to initialize"
      },
      "MCP-Protocol-Version": {
        "name": "MCP-Protocol-Version",
        "in": "header",
        "required": false,
        "schema": {"type": "string"},
        "description": "The negotiated protocol version"
      }
    },
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "A session token (plain or signed) or a JWT"},
      "cookie": {"type": "apiKey", "in": "cookie", "name": "better-auth.session_token"}
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
          "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}
          }
        }
      },
      "Health": {
        "type": "object",
        "required": ["status", "role", "version", "agent"],
        "properties": {
          "status": {"type": "string"},
          "role": {"type": "string"},
          "version": {"type": "string"},
          "agent": {"type": "string", "description": "offline, or openai:<model>"}
        }
      },
      "Readiness": {
        "type": "object",
        "required": ["status", "database"],
        "properties": {
          "status": {"type": "string", "enum": ["ready", "unavailable"]},
          "database": {"type": "string"},
          "reason": {"type": "string"}
        }
      },
      "User": {
        "type": "object",
        "required": ["id", "name", "email", "emailVerified", "createdAt", "updatedAt"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "email": {"type": "string"},
          "emailVerified": {"type": "boolean"},
          "image": {"type": ["string", "null"]},
          "createdAt": {"type": "string", "format": "date-time"},
          "updatedAt": {"type": "string", "format": "date-time"}
        }
      },
      "Session": {
        "type": "object",
        "required": ["id", "token", "userId", "expiresAt", "createdAt", "updatedAt"],
        "properties": {
          "id": {"type": "string"},
          "token": {"type": "string"},
          "userId": {"type": "string"},
          "expiresAt": {"type": "string", "format": "date-time"},
          "createdAt": {"type": "string", "format": "date-time"},
          "updatedAt": {"type": "string", "format": "date-time"},
          "ipAddress": {"type": ["string", "null"]},
          "userAgent": {"type": ["string", "null"]}
        }
      },
      "SignUp": {
        "type": "object",
        "required": ["name", "email", "password"],
        "properties": {"name": {"type": "string"}, "email": {"type": "string"}, "password": {"type": "string"}}
      },
      "SignIn": {
        "type": "object",
        "required": ["email", "password"],
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}}
      },
      "SignUpResult": {
        "type": "object",
        "required": ["token", "user"],
        "properties": {"token": {"type": "string"}, "user": {"$ref": "#/components/schemas/User"}}
      },
      "SignInResult": {
        "type": "object",
        "required": ["redirect", "token", "user"],
        "properties": {
          "redirect": {"type": "boolean"},
          "token": {"type": "string"},
          "user": {"$ref": "#/components/schemas/User"}
        }
      },
      "SessionResult": {
        "type": "object",
        "required": ["session", "user"],
        "properties": {"session": {"$ref": "#/components/schemas/Session"}, "user": {"$ref": "#/components/schemas/User"}}
      },
      "Task": {
        "type": "object",
        "required": ["id", "user_id", "title", "description", "completed", "priority", "tags", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "integer", "format": "int64"},
          "user_id": {"type": "string"},
          "title": {"type": "string"},
          "description": {"type": "string"},
          "completed": {"type": "boolean"},
          "priority": {"type": "string", "enum": ["low", "medium", "high"]},
          "tags": {"type": "array", "items": {"type": "string"}},
          "due_at": {"type": ["string", "null"], "format": "date-time"},
          "recurrence": {"type": ["string", "null"], "enum": ["daily", "weekly", "monthly", null]},
          "completed_at": {"type": ["string", "null"], "format": "date-time"},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "ChatRequest": {
        "type": "object",
        "required": ["message"],
        "properties": {
          "message": {"type": "string", "minLength": 1, "maxLength": 4000},
          "conversation_id": {"type": "integer", "format": "int64", "minimum": 1},
          "time_zone": {"type": "string", "description": "IANA time zone for dates such as tomorrow; default UTC"}
        }
      },
      "ToolStep": {
        "type": "object",
        "required": ["id", "name", "arguments", "result", "is_error"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "arguments": {},
          "result": {},
          "is_error": {"type": "boolean"}
        }
      },
      "ChatResponse": {
        "type": "object",
        "required": ["conversation_id", "response", "tool_calls"],
        "properties": {
          "conversation_id": {"type": "integer", "format": "int64"},
          "response": {"type": "string"},
          "tool_calls": {"type": "array", "items": {"$ref": "#/components/schemas/ToolStep"}}
        }
      },
      "Conversation": {
        "type": "object",
        "required": ["id", "user_id", "title", "created_at", "updated_at"],
        "properties": {
          "id": {"type": "integer", "format": "int64"},
          "user_id": {"type": "string"},
          "title": {"type": "string"},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }
      },
      "ChatMessage": {
        "type": "object",
        "required": ["id", "role", "content", "tool_calls", "created_at"],
        "properties": {
          "id": {"type": "integer", "format": "int64"},
          "role": {"type": "string", "enum": ["user", "assistant", "tool", "system"]},
          "content": {"type": "string"},
          "tool_calls": {"oneOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/components/schemas/ToolStep"}}]},
          "created_at": {"type": "string", "format": "date-time"}
        }
      },
      "JSONRPCMessage": {
        "type": "object",
        "required": ["jsonrpc"],
        "properties": {
          "jsonrpc": {"const": "2.0"},
          "id": {"type": ["string", "integer"]},
          "method": {"type": "string"},
          "params": {"type": "object"},
          "result": {},
          "error": {}
        }
      },
      "JSONRPCResponse": {
        "type": "object",
        "required": ["jsonrpc", "id"],
        "properties": {
          "jsonrpc": {"const": "2.0"},
          "id": {"type": ["string", "integer", "null"]},
          "result": {"type": "object"},
          "error": {"$ref": "#/components/schemas/JSONRPCError"}
        }
      },
      "JSONRPCError": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "integer"}, "message": {"type": "string"}, "data": {}}
      },
      "CompletedTask": {
        "allOf": [
          {"$ref": "#/components/schemas/Task"},
          {
            "type": "object",
            "required": ["next_occurrence"],
            "properties": {"next_occurrence": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Task"}]}}
          }
        ]
      },
      "TaskList": {
        "type": "object",
        "required": ["tasks", "next_cursor"],
        "properties": {
          "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
          "next_cursor": {"type": ["string", "null"]}
        }
      },
      "NewTask": {
        "type": "object",
        "required": ["title"],
        "properties": {
          "title": {"type": "string", "minLength": 1, "maxLength": 200},
          "description": {"type": "string", "maxLength": 1000},
          "priority": {"type": "string", "enum": ["low", "medium", "high"]},
          "tags": {"type": "array", "maxItems": 10, "items": {"type": "string", "minLength": 1, "maxLength": 32}},
          "due_at": {"type": "string", "format": "date-time"},
          "recurrence": {"type": "string", "enum": ["daily", "weekly", "monthly"]},
          "completed": {"type": "boolean"}
        }
      },
      "TaskPatch": {
        "type": "object",
        "properties": {
          "title": {"type": "string", "minLength": 1, "maxLength": 200},
          "description": {"type": ["string", "null"], "maxLength": 1000},
          "priority": {"type": ["string", "null"], "enum": ["low", "medium", "high", null]},
          "tags": {"type": ["array", "null"], "maxItems": 10, "items": {"type": "string", "minLength": 1, "maxLength": 32}},
          "due_at": {"type": ["string", "null"], "format": "date-time"},
          "recurrence": {"type": ["string", "null"], "enum": ["daily", "weekly", "monthly", null]},
          "completed": {"type": "boolean"}
        }
      }
    }
  }
}
"""#
}
