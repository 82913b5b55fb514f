import Vapor

/// The portal's stylesheet, served by the app itself (no CDN). Kept in the binary so the
/// site works whatever the working directory.
enum Stylesheet {
    static let css = """
    :root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; --accent: #0b4f8a; --bg: #fff; --soft: #f3f6f9; --good: #1b6e3a; --warn: #8a5300; --bad: #a4161a; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: var(--ink); background: var(--bg); line-height: 1.6; }
    a { color: var(--accent); }
    a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
    header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .75rem 1.25rem; background: var(--accent); color: #fff; }
    header.site a { color: #fff; } header.site .brand { font-weight: bold; font-size: 1.1rem; text-decoration: none; }
    header.site nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; } header.site .lang { margin-left: auto; }
    /* Phones first (GOV.UK, デジタル庁 design system): the menu folds behind 「メニュー」 and
       opens as a list; labels never break inside a word; wide tables scroll in their own
       box; numbers line up. */
    body { font-family: "Noto Sans JP", "Noto Sans CJK JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans", "BIZ UDPGothic", Meiryo, "Yu Gothic", sans-serif; font-variant-numeric: tabular-nums; }
    header.site nav a, header.site .brand, header.site .lang, details.menu > summary, th, caption, dt, .card .label, .grade, .state, nav.breadcrumbs li, .facets summary, .pager a { word-break: keep-all; overflow-wrap: anywhere; }
    details.menu > summary { cursor: pointer; padding: .2rem .6rem; border: 1px solid #fff; border-radius: 4px; color: #fff; }
    details.menu[open] { flex-basis: 100%; order: 3; } details.menu nav ul { flex-direction: column; gap: .1rem; padding: .5rem 0 0; }
    details.menu nav a { display: block; padding: .35rem 0; }
    @media (max-width: 899px) {
      header.site { gap: .5rem; padding: .5rem .75rem; } header.site .brand { font-size: 1rem; } header.site .lang { order: 1; }
      details.menu { order: 2; } main { padding: .75rem .75rem 1.5rem; } nav.breadcrumbs ol { padding: .4rem .75rem; }
    }
    td.name { min-width: 9em; }
    @supports selector(::details-content) {
      @media (min-width: 900px) {
        details.menu > summary { display: none; }
        details.menu::details-content { content-visibility: visible; display: contents; }
        details.menu, details.menu[open] { flex-basis: auto; order: 0; } details.menu nav ul { flex-direction: row; gap: 1rem; padding: 0; } details.menu nav a { display: inline; padding: 0; }
      }
    }
    .table-scroll:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
    td, th { min-width: 3.5em; } td.num, th.num { min-width: 0; }
    td:first-child, th:first-child { word-break: keep-all; overflow-wrap: anywhere; min-width: 5.5em; }
    .facets summary { font-weight: bold; cursor: pointer; margin: .25rem 0; }
    a.to-results { margin-left: .5rem; font-size: .9rem; }
    @supports selector(::details-content) {
      @media (min-width: 801px) { details.facets > summary { display: none; } details.facets::details-content { content-visibility: visible; display: contents; } }
    }
    .note { color: var(--muted); font-size: .85rem; } .card .exact { color: var(--muted); font-size: .85rem; }
    .sheet-figures { margin: .5rem 0 1rem; }
    @media (max-width: 600px) { form.query input[type=search] { min-width: 0; flex: 1 1 12rem; } }
    nav.breadcrumbs ol { display: flex; flex-wrap: wrap; gap: .5rem; list-style: none; margin: 0; padding: .5rem 1.25rem; font-size: .9rem; background: var(--soft); }
    nav.breadcrumbs li + li::before { content: "›"; margin-right: .5rem; color: var(--muted); }
    main { padding: 1rem 1.25rem 2rem; max-width: 1400px; margin: 0 auto; }
    footer.site { padding: 1rem 1.25rem; color: var(--muted); border-top: 1px solid var(--line); font-size: .85rem; }
    h1 { font-size: 1.5rem; margin: .5rem 0 1rem; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-left: 4px solid var(--accent); padding-left: .5rem; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: .75rem; }
    .card { background: var(--soft); border-radius: 6px; padding: .75rem 1rem; } .card .value { font-size: 1.4rem; font-weight: bold; } .card .label { color: var(--muted); font-size: .85rem; }
    table { border-collapse: collapse; width: 100%; font-size: .9rem; } caption { text-align: left; font-weight: bold; padding: .25rem 0; }
    th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; } th { background: var(--soft); text-align: left; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    td.judgement { min-width: 6em; }
    .search { display: grid; grid-template-columns: 260px minmax(0, 1fr); gap: 1.5rem; } @media (max-width: 800px) { .search { grid-template-columns: minmax(0, 1fr); gap: .5rem; } }
    .facets h2 { font-size: .95rem; margin: 1rem 0 .25rem; border: 0; padding: 0; } .facets ul { list-style: none; padding: 0; margin: 0; } .facets li { font-size: .9rem; }
    .facets a[aria-current] { font-weight: bold; color: var(--ink); }
    form.query { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
    form.query input[type=search] { min-width: 18rem; padding: .4rem; font-size: 1rem; } form.query button { padding: .4rem 1rem; font-size: 1rem; }
    .pager { display: flex; gap: .5rem; margin: 1rem 0; flex-wrap: wrap; } .muted { color: var(--muted); }
    .grade { white-space: nowrap; } .downloads a { margin-right: 1rem; }
    .empty { background: var(--soft); padding: 1rem; border-radius: 6px; }
    /* Charts are SVG at the width of their column, up to their drawn size (an inline style
       would be refused by the page's CSP). */
    svg.chart { max-width: 520px; height: auto; } svg.chart.wide { max-width: 640px; }
    .bars { margin: 1rem 0; max-width: 48rem; } .bars h3 { font-size: 1rem; margin: 0 0 .5rem; } .bars h3 .note { font-weight: normal; } .bars ol { list-style: none; padding: 0; margin: 0; }
    .bars li { margin: 0 0 .75rem; } .bars .bar-label { word-break: keep-all; overflow-wrap: anywhere; }
    .bar-row { display: flex; align-items: center; gap: .5rem; } svg.bar { flex: 1 1 50%; height: .8rem; min-width: 4rem; background: var(--soft); }
    .bar-value { flex: 0 1 auto; font-size: .85rem; font-variant-numeric: tabular-nums; white-space: nowrap; }
    @media (max-width: 600px) { .bar-row { flex-wrap: wrap; gap: 0 .5rem; } svg.bar { flex-basis: 100%; } .bar-value { white-space: normal; } }
    ul.tree, ul.tree ul { list-style: none; padding-left: 1.25rem; } ul.tree > li { margin-bottom: 1rem; } ul.tree li { margin: .25rem 0; }
    dl.sheet { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dl.sheet dt { font-weight: bold; color: var(--muted); }
    body > nav.scope { padding: .4rem 1.25rem 0; max-width: 1400px; margin: 0 auto; font-size: .9rem; } @media (max-width: 899px) { body > nav.scope { padding: .4rem .75rem 0; } }
    nav.scope > div { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; margin: .25rem 0; }
    nav.scope ul { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; margin: 0; padding: 0; }
    form.staff { display: grid; gap: .4rem; max-width: 24rem; } form.staff input { padding: .4rem; font-size: 1rem; } form.staff button { padding: .5rem; font-size: 1rem; }
    .error { color: var(--bad); font-weight: bold; } form.signout { display: flex; gap: .5rem; align-items: center; margin-left: auto; } form.signout button, .actions button { white-space: nowrap; }
    .field { display: grid; gap: .2rem; margin: .4rem 0; max-width: 40rem; } .field input, .field select, .field textarea { padding: .35rem; font-size: 1rem; font-family: inherit; }
    .field textarea { width: 100%; box-sizing: border-box; } .field .hint { color: #555; font-size: .9rem; } .field.invalid input, .field.invalid select, .field.invalid textarea { border: 2px solid var(--bad); }
    .sheet-edit td .field { margin: 0; } .sheet-edit td .field label { font-size: .85rem; color: #555; }
    .notice { border-left: 4px solid #0b5394; background: #eef4fb; padding: .6rem 1rem; margin: 1rem 0; } .notice.ok { border-color: #2e7d32; background: #edf7ee; }
    .notice.returned, .notice.conflict { border-color: var(--bad); background: #fdecea; } .notice h2 { margin-top: 0; font-size: 1.05rem; }
    .state { display: inline-block; padding: 0 .5rem; border-radius: .8rem; background: #e8eaed; font-weight: bold; } .state-returned { background: #fdecea; color: var(--bad); } .state-approved, .state-published { background: #edf7ee; color: #1b5e20; }
    form.step, form.inline { display: inline-flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .3rem .5rem .3rem 0; } form.step .field { min-width: min(24rem, 100%); }
    nav.staff-menu ul, nav.filters ul { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; }
    table.history td, table.changes td, table.problems td { vertical-align: top; white-space: pre-wrap; }
    tr.overdue th, tr.overdue td { background: #fdecea; }
    .field .warning { color: #7a4f00; font-size: .9rem; } .checks li { margin: .2rem 0; } .finding-error { color: var(--bad); } .finding-warning { color: #7a4f00; }
    table.board tr.bureau th { background: #e8eaed; text-align: left; } table.board tr.subtotal, table.board tr.total { font-weight: bold; } table.board tr.total th, table.board tr.total td { border-top: 2px solid #555; }
    .table-scroll { overflow-x: auto; max-width: 100%; } .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; } .actions button, a.button { padding: .5rem 1rem; font-size: 1rem; }
    form.filters { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: end; } form.filters .field { margin: 0; } .field.checkbox { display: flex; gap: .35rem; align-items: center; }
    th, .state, nav.staff-menu a, nav.filters a { word-break: keep-all; } .sheet-edit td input[type=text] { width: 100%; min-width: 5rem; box-sizing: border-box; }
    @media (max-width: 800px) { body.staff main table { display: block; overflow-x: auto; max-width: 100%; } form.step .field { min-width: 0; } form.staff { max-width: 100%; } body.staff header.site { flex-wrap: wrap; } body.staff main { padding: .5rem; } }
    dl.sheet ul.inline { list-style: none; margin: 0; padding: 0; } .sheet-actions { margin: .25rem 0 1rem; }
    .kpi { margin-bottom: 1rem; } .kpi svg { display: block; margin-top: .25rem; }
    @media screen and (min-width: 1100px) { .sheet-page .kpi { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 520px); gap: 1rem; align-items: start; } }
    /* After .cards' own rule: two figures side by side on a phone. */
    @media (max-width: 600px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .5rem; } .card { padding: .5rem .6rem; } .card .value { font-size: 1.15rem; } }
    /* After dl.sheet's own rule, so that a phone stacks a term over its value. */
    @media (max-width: 600px) { dl.sheet { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.sheet dd { margin: 0 0 .5rem; } }
    @media print { header.site nav, details.menu, a.to-results, header.site .lang, nav.breadcrumbs, footer.site, .skip, form.query, .facets, .pager, .downloads { display: none; } main { padding: 0; max-width: none; } }
    /* A sheet prints as one A3-landscape page like the published ones: the summary, costs,
       evaluations and checks on the left, the indicators with their charts on the right. */
    @page { size: A3 landscape; margin: 9mm; }
    @media print {
      /* --s scales the printed sheet to fill its page: the view sets print-scale-N from how
         much the sheet holds (ProgramShow.printScale), since no script runs in the PDF. */
      body.sheet-page { --s: 1; font-size: calc(8pt * var(--s)); line-height: 1.35; }
      body.sheet-page.print-scale-80 { --s: .8; } body.sheet-page.print-scale-90 { --s: .9; }
      body.sheet-page.print-scale-115 { --s: 1.15; } body.sheet-page.print-scale-130 { --s: 1.3; } body.sheet-page.print-scale-150 { --s: 1.5; }
      .sheet-page header.site { padding: 0 0 1mm; background: none; color: #000; } .sheet-page header.site a { color: #000; font-size: calc(8pt * var(--s)); }
      .sheet-page .sheet-actions, .sheet-page .sheet-years, .sheet-page .sheet-figures, .sheet-page .bars, .sheet-page .evaluation.other-year { display: none; }
      /* The last row takes the height the indicators need beyond the left column, so that
         the left sections stay packed at the top. */
      .sheet-page main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); grid-template-rows: auto auto auto auto auto 1fr; column-gap: 7mm; align-items: start; }
      .sheet-title { grid-column: 1 / -1; border-bottom: 2px solid #000; margin-bottom: 2mm; }
      .sheet-title h1 { font-size: calc(15pt * var(--s)); margin: 0; } .sheet-title p { margin: 0; }
      .sheet-summary, .sheet-budget, .sheet-evaluations, .sheet-findings { grid-column: 1; }
      .sheet-right { grid-column: 2; grid-row: 2 / 7; }
      .sheet-page h2 { font-size: calc(10pt * var(--s)); margin: 2mm 0 1mm; } .sheet-page h3 { font-size: calc(9pt * var(--s)); margin: 1.5mm 0 .5mm; }
      .sheet-page table { font-size: calc(7.5pt * var(--s)); } .sheet-page th, .sheet-page td { padding: .4mm 1mm; } .sheet-page caption { padding: 0; }
      .sheet-page dl.sheet { gap: .3mm 3mm; } .sheet-page p { margin: .8mm 0; } .sheet-page .note { font-size: calc(7pt * var(--s)); }
      .sheet-page .sheet-findings ul { margin: .5mm 0; padding-left: 4mm; }
      .sheet-page .kpi { display: grid; grid-template-columns: minmax(0, 1fr) calc(70mm * var(--s)); gap: 3mm; margin-bottom: 2mm; break-inside: avoid; }
      .sheet-page .kpi svg { max-height: calc(30mm * var(--s)); }
      a { color: #000; text-decoration: none; } .empty { padding: 1mm 2mm; }
    }
    """

    @Sendable static func serve(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.cacheControl = .init(isPublic: true, maxAge: 3600)
        return response
    }
}
