import Vapor

extension ProgramShow {
    /// The sheet page: query → model → view.
    static func render(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> Response {
        let (layout, content) = view(try await query(row, scope: scope, req: req))
        return layout.render(content)
    }

    /// The page as one self-contained HTML document (stylesheet inside), for the PDF.
    static func standaloneHTML(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> String {
        var (layout, content) = view(try await query(row, scope: scope, req: req))
        layout.inlineStylesheet = true
        return layout.html(content)
    }
}
