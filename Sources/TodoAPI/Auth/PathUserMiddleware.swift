import Hummingbird
import TodoCore

/// On the original spec's paths, `{user_id}` must be the signed-in user: anyone else's is 403.
struct PathUserMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.parameters.get("user_id") == context.user?.id else {
            throw TodoError.forbidden(message: "The user in the path is not the signed-in user.")
        }
        return try await next(request, context)
    }
}
