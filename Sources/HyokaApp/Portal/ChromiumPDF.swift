import Foundation
import Vapor

/// Prints a self-contained HTML page to PDF with headless Chromium, which lays the page out
/// with the same print stylesheet a reader's browser uses (`@page { size: A3 landscape }`).
///
/// Where Chromium is found: `HYOKA_CHROMIUM` when set (a path, or `off` to turn PDFs off),
/// else the first of `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable`
/// and `headless_shell` on `PATH`. When none is found the PDF route answers 503 with a page
/// that says so and points to the browser's own print (A3 landscape).
struct ChromiumPDF: Sendable {
    let executable: String
    /// Longest a render may take before Chromium is stopped.
    var timeout: Duration = .seconds(60)

    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"]

    enum Failure: Error, CustomStringConvertible {
        case notFound
        case failed(status: Int32, output: String)
        case timedOut

        var description: String {
            switch self {
            case .notFound: "Chromium not found"
            case let .failed(status, output): "Chromium exited with status \(status): \(output.suffix(500))"
            case .timedOut: "Chromium was stopped by a signal (the time limit, or a crash)"
            }
        }
    }

    /// nil when there is no Chromium, or when `HYOKA_CHROMIUM=off`.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> ChromiumPDF? {
        let fileManager = FileManager.default
        if let configured = environment["HYOKA_CHROMIUM"], !configured.isEmpty {
            if configured == "off" { return nil }
            return fileManager.isExecutableFile(atPath: configured) ? ChromiumPDF(executable: configured) : nil
        }
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in candidates {
            for directory in directories {
                let path = directory + "/" + name
                if fileManager.isExecutableFile(atPath: path) { return ChromiumPDF(executable: path) }
            }
        }
        return nil
    }

    /// What the printed page may load: its own inline styles and inline (`data:`) images,
    /// nothing else. No script, no frame, no file and no address on the network, so even a
    /// page that carried markup by mistake could not read `file:///etc/passwd` into the PDF
    /// or call out. (Turning scripts off with `--blink-settings=scriptEnabled=false` would
    /// also stop `--print-to-pdf` from writing; the policy is how scripts are off.)
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        + "frame-src 'none'; object-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'"

    /// The page with the policy as the first element of its head, before anything that could load.
    static func confined(_ html: String) -> String {
        let meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"\(contentSecurityPolicy)\">"
        if let head = html.range(of: "<head>") { return html.replacingCharacters(in: head, with: "<head>" + meta) }
        return "<!DOCTYPE html><html><head>\(meta)</head><body>\(html)</body></html>"
    }

    /// Renders the page in a temporary directory of its own (page, profile, output), which
    /// is removed afterwards. The page is a local file with its stylesheet inside, confined by
    /// `contentSecurityPolicy`; Chromium is also given a proxy that does not exist and a
    /// resolver that resolves nothing, so no request of its own reaches the network.
    func render(html: String) async throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("sheet.html"), output = directory.appendingPathComponent("sheet.pdf")
        try Data(Self.confined(html).utf8).write(to: page)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-pdf-header-footer",
                         "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                         "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-remote-fonts", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                         "--host-resolver-rules=MAP * ~NOTFOUND",
                         "--print-to-pdf=\(output.path)", page.absoluteString]
        // Chromium refuses to start its sandbox as root (containers, CI machines).
        if geteuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
        process.arguments = arguments
        // Chromium's chatter goes to a file: a pipe nobody reads would fill up and stall it.
        let logURL = directory.appendingPathComponent("chromium.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice

        let watchdog = Task { [timeout] in
            try await Task.sleep(for: timeout)
            if process.isRunning { process.terminate() }
        }
        defer { watchdog.cancel() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        // Killed by a signal: the watchdog's time limit, or a crash.
        if process.terminationReason == .uncaughtSignal { throw Failure.timedOut }
        let logged = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        guard status == 0, let data = try? Data(contentsOf: output), data.starts(with: Data("%PDF".utf8)) else {
            throw Failure.failed(status: status, output: logged)
        }
        return data
    }
}

/// How the app prints sheets: the Chromium found at start-up (if any) behind a gate.
struct SheetPrinter: Sendable {
    var chromium: ChromiumPDF?
    /// Two Chromium processes at a time (each takes a few hundred MB), eight waiting.
    var gate = WorkGate(limit: 2, queueLimit: 8, retryAfter: 15)

    func pdf(html: String) async throws -> Data {
        guard let chromium else { throw ChromiumPDF.Failure.notFound }
        // Gated by `PublicPageCache` on the route, which also keeps what was printed.
        return try await chromium.render(html: html)
    }
}

extension Application {
    private struct SheetPrinterKey: StorageKey {
        typealias Value = SheetPrinter
    }

    /// Set by `configure` from the environment.
    var sheetPrinter: SheetPrinter {
        get { storage[SheetPrinterKey.self] ?? SheetPrinter(chromium: nil) }
        set { storage[SheetPrinterKey.self] = newValue }
    }
}
