import Vapor

func routes(_ app: Application) throws {
    app.get(.healthz, use: HealthController.show)
    app.get(.stylesheet, use: Stylesheet.serve)
    app.get(.staffSheetScript) { _ in SheetController.serveScript() }
    // The portal's pages, each kept as bytes until the data changes (Portal/PublicPageCache).
    // A sheet's PDF (same route as its page) waits for one of the printer's turns.
    let pages = app.grouped(PublicPageCache(gate: { $0.url.path.hasSuffix(".pdf") ? $0.application.sheetPrinter.gate : nil }))
    // Downloads are made from all of a municipality's public data: kept, and gated.
    let downloads = app.grouped(PublicPageCache(gate: { $0.application.downloadGate }))
    pages.get(.home, use: HomeController.show)
    pages.get(.programs, use: ProgramsController.index)
    downloads.get(.programsCSV, use: ProgramsController.downloadCSV)
    downloads.get(.programsXLSX, use: ProgramsController.downloadXLSX)
    pages.get(.program(UUID()), use: ProgramsController.show)
    pages.get(.plans, use: PlansController.index)
    pages.get(.planNode(UUID()), use: PlansController.show)
    pages.get(.collaboration, use: CollaborationController.index)
    pages.get(.manifestos, use: ManifestosController.index)
    pages.get(.reviews, use: ReviewsController.index)
    pages.get(.openData, use: OpenDataController.index)
    downloads.get(.openDataBundle(""), use: OpenDataController.bundle)
    app.get(.feed, use: FeedController.atom)
    pages.get(.sitemap, use: SitemapController.sitemap)
    pages.get(.guide) { req in
        let (layout, content) = GuideShow.view(try await GuideShow.query(req: req), language: PortalLanguage(req))
        return layout.render(content)
    }
    app.get(.robots, use: SitemapController.robots)
    // The JSON API and its OpenAPI document, from one list (API/APIRoutes.swift).
    APIRoutes.register(on: app)

    // Staff: sessions and form tokens only here, so the public portal sets no cookie.
    let sessions = app.grouped(app.sessions.middleware)
    let forms = sessions.grouped(RequireCSRFToken(maxBody: StaffBodyLimit.form))
    forms.get(.login, use: LoginController.show)
    forms.post(.login, use: LoginController.signIn)
    forms.post(.logout, use: LoginController.signOut)
    let staff = forms.grouped(RequireStaff())
    staff.get(.admin, use: AdminController.dashboard)
    staff.get(.adminCycles, use: CycleController.index)
    staff.post(.adminCycles, use: CycleController.open)
    staff.post(.adminCycleAdvance(UUID()), use: CycleController.advance)
    staff.post(.adminCycleDeadlines(UUID()), use: CycleController.deadlines)
    staff.post(.adminCycleBack(UUID()), use: CycleController.back)
    staff.get(.adminCyclePublish(UUID()), use: CycleController.confirmPublication)
    staff.post(.adminSheetCorrection(UUID()), use: SheetController.correct)
    staff.get(.adminSheets, use: SheetController.index)
    staff.get(.adminSheet(UUID()), use: SheetController.show)
    staff.post(.adminSheet(UUID()), use: SheetController.save)
    staff.post(.adminSheetStep(UUID(), ""), use: SheetController.step)
    staff.get(.adminSheetHistory(UUID()), use: SheetController.history)
    staff.get(.adminSheetRates(UUID()), use: SheetController.rates)
    staff.get(.adminProgramMerge, use: ProgramMergeController.show)
    staff.post(.adminProgramMerge, use: ProgramMergeController.merge)
    let recordForms: [(SiteURL, RecordForm.Loader)] = [
        (.adminPlanNode(UUID()), RecordForm.bureauEvaluation), (.adminManifestoGoal(UUID()), RecordForm.manifestoGoal),
        (.adminCollaboration(UUID()), RecordForm.collaborationProject), (.adminReview(UUID()), RecordForm.inventoryReview),
    ]
    staff.get(.adminWorkbook, use: WorkbookController.index)
    staff.get(.adminWorkbookDownload, use: WorkbookController.download)
    // Workbooks are larger than a form: the account is checked before a large body is read.
    let uploads = sessions.grouped(RequireStaff()).grouped(RequireCSRFToken(maxBody: StaffBodyLimit.upload))
    uploads.on(.POST, SiteURL.adminWorkbookPreview.pathComponents, body: .collect(maxSize: StaffBodyLimit.upload), use: WorkbookController.preview)
    uploads.on(.POST, SiteURL.adminWorkbookApply.pathComponents, body: .collect(maxSize: StaffBodyLimit.upload), use: WorkbookController.apply)
    for (url, load) in recordForms {
        staff.get(url, use: RecordFormController.show(load))
        staff.post(url, use: RecordFormController.save(load))
    }
}
