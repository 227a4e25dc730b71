import Foundation
import HTTPTypes
import Hummingbird
import TodoCore

/// The task REST API, always scoped to the signed-in user: another user's task id is a plain 404.
struct TasksController {
    let store: any TaskStore
    /// Pages already sent, served again while the user's tasks are unchanged; nil when switched off.
    var pages: TaskPageCache?
    let metrics: APIMetrics

    /// A page of tasks; `next_cursor` is null on the last page.
    struct TaskList: JSONWritable {
        let tasks: [TodoTask]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case tasks
            case nextCursor = "next_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tasks, forKey: .tasks)
            try container.encode(nextCursor, forKey: .nextCursor)
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                if let nextCursor { json.field("next_cursor", nextCursor) } else { json.null("next_cursor") }
                json.key("tasks")
                tasks.write(to: &json)
            }
        }
    }

    /// A task after completion, with the next occurrence a recurring task created.
    struct CompletedTask: Encodable {
        let task: TodoTask
        let nextOccurrence: TodoTask?

        enum CodingKeys: String, CodingKey { case nextOccurrence = "next_occurrence" }

        func encode(to encoder: any Encoder) throws {
            try task.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(nextOccurrence, forKey: .nextOccurrence)
        }
    }

    struct CompleteBody: Decodable {
        let completed: Bool?
    }

    /// `/api/tasks/...`, and the original spec's `/api/{user_id}/tasks/...`, where `user_id` must be the caller.
    func register(on router: Router<APIRequestContext>, authentication: AuthenticationMiddleware) {
        let current = router.group("api/tasks").add(middleware: authentication)
        current.get(use: list)
        current.post(use: create)
        current.get(":id", use: get)
        current.put(":id", use: replace)
        current.patch(":id", use: patch)
        current.delete(":id", use: delete)
        current.patch(":id/complete", use: complete)
        current.post(":id/restore", use: restore)

        let original = router.group("api/:user_id/tasks").add(middleware: authentication).add(middleware: PathUserMiddleware())
        original.get(use: listArray)
        original.post(use: create)
        original.get(":id", use: get)
        original.put(":id", use: replace)
        original.delete(":id", use: delete)
        original.patch(":id/complete", use: complete)
        original.post(":id/restore", use: restore)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await listing(request, context, .page) { JSONBody.encode(TaskList(tasks: $0.tasks, nextCursor: $0.nextCursor?.encoded)) }
    }

    /// The original spec answered with a bare array.
    @Sendable func listArray(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await listing(request, context, .array) { JSONBody.encode($0.tasks) }
    }

    /// A page as sent before while the user's tasks are unchanged, else read and encoded (and kept). The stamp is
    /// taken before the read, so a write that lands during the read makes the kept page stale at once.
    private func listing(
        _ request: Request, _ context: APIRequestContext, _ shape: TaskPageCache.Shape, encode: (TaskPage) -> ByteBuffer
    ) async throws -> Response {
        let query = try TaskQueryParser.parse(request.uri.queryParameters)
        let userID = try context.requireUserID()
        let key = TaskPageCache.Key(userID: userID, query: request.uri.query ?? "", shape: shape)
        let stamp = pages == nil ? nil : await store.taskChangeStamp(userID: userID)
        if let stamp, let body = pages?.body(for: key, stamp: stamp) {
            metrics.taskPageServed(.hit)
            return .json(.ok, body: body)
        }
        let body = encode(try await store.taskPage(matching: query, userID: userID))
        if let stamp { pages?.store(body, for: key, stamp: stamp) }
        metrics.taskPageServed(stamp == nil ? .bypass : .miss)
        return .json(.ok, body: body)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(TaskBody.self, context: context)
        let task = try await store.createTask(try body.newTask(), userID: try context.requireUserID())
        var response = Response.json(.created, task)
        response.headers[.location] = "/api/tasks/\(task.id)"
        return response
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        .json(.ok, try await store.task(id: try Self.id(context), userID: try context.requireUserID()))
    }

    @Sendable func replace(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(TaskBody.self, context: context)
        return .json(.ok, try await store.updateTask(id: try Self.id(context), with: try body.replacement(), userID: try context.requireUserID()))
    }

    @Sendable func patch(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(TaskBody.self, context: context)
        return .json(.ok, try await store.updateTask(id: try Self.id(context), with: try body.patch(), userID: try context.requireUserID()))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await store.deleteTask(id: try Self.id(context), userID: try context.requireUserID())
        return Response(status: .noContent)
    }

    /// Brings back a task deleted in the last 7 days, with its id and fields (the task panel's and chat's undo).
    @Sendable func restore(_ request: Request, context: APIRequestContext) async throws -> Response {
        .json(.ok, try await store.restoreTask(id: try Self.id(context), userID: try context.requireUserID()))
    }

    /// Toggles, or sets `{"completed": bool}` when given; completing a recurring task schedules its next occurrence.
    @Sendable func complete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let userID = try context.requireUserID()
        var completed: Bool?
        if request.headers[.contentLength].flatMap(Int.init) ?? 0 > 0 || request.headers[.transferEncoding] != nil {
            completed = try await request.decodeJSON(CompleteBody.self, context: context).completed
        }
        let result = if let completed {
            try await store.setTaskCompleted(id: id, completed: completed, userID: userID)
        } else {
            try await store.toggleTaskCompleted(id: id, userID: userID)
        }
        return .json(.ok, CompletedTask(task: result.task, nextOccurrence: result.nextOccurrence))
    }

    static func id(_ context: APIRequestContext) throws -> Int64 { try context.pathID(of: "task") }
}
