import Vapor

func routes(_ app: Application) throws {
    app.get(.healthz, use: HealthController.show)
}
