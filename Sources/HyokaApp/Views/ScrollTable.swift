import Plot

/// A wide table in a box of its own that scrolls sideways on a phone, so the page itself
/// never does. The box takes keyboard focus and is named, so that a keyboard user can
/// scroll it too (axe's scrollable-region-focusable).
enum ScrollTable {
    static func node(label: String, _ table: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        .div(.class("table-scroll"), .attribute(named: "role", value: "region"), .attribute(named: "aria-label", value: label),
             .attribute(named: "tabindex", value: "0"), table)
    }
}
