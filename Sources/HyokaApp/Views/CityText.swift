import Plot

extension PortalLanguage {
    /// Text the city wrote (a program's name, a department, a summary): Japanese whatever
    /// the page's language, so an English page marks it `lang="ja"` for screen readers,
    /// fonts and line breaking.
    func cityText<Context: HTML.BodyContext>(_ text: String) -> Node<Context> {
        self == .en ? .span(.attribute(named: "lang", value: "ja"), .text(text)) : .text(text)
    }
}
