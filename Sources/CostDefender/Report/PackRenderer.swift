import Foundation

/// Turns an analysis into the files of the site: per period `report.md`, `report.html`,
/// `summary.json` and every table as CSV and JSON; `index.html` and `README.md` at the top.
/// Pure: makes paths and contents; the `SiteWriter` puts them on disk.
public struct PackRenderer {
    public var templates: TemplateSet
    public var formatter: Formatter
    /// The index links each period's `report.pdf` (the build prints them with `--pdf`).
    public var linksPDF = false

    public init(templates: TemplateSet, formatter: Formatter) {
        self.templates = templates
        self.formatter = formatter
    }

    /// Relative path → file content, in a stable order.
    public struct Site: Sendable {
        public var files: [(path: String, content: String)] = []
        public mutating func add(_ path: String, _ content: String) { files.append((path, content)) }
        public func content(of path: String) -> String? { files.first { $0.path == path }?.content }
    }

    /// The report's sections, in reading order; the forecast and the scorecard only on the
    /// period containing the build date.
    public func sections(for figures: PeriodFigures) -> [any ReportSection] {
        var out: [any ReportSection] = [SummarySection(figures: figures), BridgeSection(figures: figures), MoversSection(figures: figures)]
        if let s = figures.scorecard { out.append(MaturitySection(scorecard: s)) }
        if let a = figures.anomalies { out.append(AnomalySection(anomalies: a, currency: figures.currency, tableName: "anomaly-list")) }
        out.append(BudgetSection(budget: figures.budget))
        if let f = figures.forecast { out.append(ForecastSection(forecast: f, nextQuarterBudget: figures.nextQuarterBudget, currency: figures.currency)) }
        if let s = figures.savings { out.append(SavingsSection(savings: s, period: figures.period, calendar: figures.calendar, currency: figures.currency)) }
        if let c = figures.commitments { out.append(CommitmentSection(commitments: c, currency: figures.currency)) }
        out += [UnitEconomicsSection(unitEconomics: figures.unitEconomics), CostBreakdownSection(figures: figures),
                AllocationSection(figures: figures), DataQualitySection(figures: figures)]
        return out
    }

    public func teamSections(for figures: PeriodFigures, team: String, slug: String) -> [any ReportSection] {
        [TeamBridgeSection(figures: figures, team: team, slug: slug), TeamStatusSection(figures: figures, team: team, slug: slug)]
            + (figures.anomalies.map { [AnomalySection(anomalies: $0, currency: figures.currency, teamFilter: team, tableName: "team-\(slug)-anomalies")] } ?? [])
            + (figures.savings.map { [SavingsSection(savings: $0, period: figures.period, calendar: figures.calendar, currency: figures.currency,
                                                     team: team, prefix: "team-\(slug)-")] } ?? [])
    }

    /// Renders sections through a page template into `<stem>.md` and `<stem>.html`, and writes
    /// their tables (CSV, JSON) into the page's folder. `printHeader` (default: the title) heads
    /// every printed page, beside the page number.
    func page(_ site: inout Site, folder: String, stem: String, template: String, title: String, periodName: String,
              printHeader: String? = nil, sections: [any ReportSection], context: [String: Any]) throws {
        var parts: [[String: Any]] = []
        var charts: [Chart] = []
        for section in sections {
            let tables = section.tables
            parts.append(["markdown": try templates.render(section.template, section.context(formatter, tables: tables))])
            for chart in section.charts(formatter) {
                charts.append(chart)
                site.add("\(folder)/\(chart.path)", chart.svg)
            }
            for table in tables {
                site.add("\(folder)/\(table.name).csv", CSVExport.csv(table))
                site.add("\(folder)/\(table.name).json", CSVExport.json(table))
            }
        }
        var c = context
        c["sections"] = parts
        let markdown = try templates.render(template, c)
        site.add("\(folder)/\(stem).md", markdown)
        let html = try templates.render("layout", [
            "title": title, "period": periodName, "stylesheet": templates.stylesheet,
            "printHeader": Escaping.cssString(printHeader ?? title),
            "body": MarkdownRenderer.html(markdown) { Chart.inlineEdits(charts, in: $0) },
        ] as [String: Any])
        site.add("\(folder)/\(stem).html", html)
    }

    /// The whole site in memory, in a stable order (periods in order, then the index).
    public func render(_ analysis: Pipeline.Analysis) throws -> Site {
        final class Parts: @unchecked Sendable {
            let lock = NSLock()
            var parts: [(order: Int, site: Site)] = []
        }
        let collected = Parts()
        try render(analysis) { order, part in collected.lock.lock(); collected.parts.append((order, part)); collected.lock.unlock() }
        var site = Site()
        for part in collected.parts.sorted(by: { $0.order < $1.order }) { site.files += part.site.files }
        return site
    }

    /// Renders the site in parts and hands each to `emit` as soon as it is made, from the
    /// rendering threads (periods render two at a time on two cores), so writing overlaps
    /// rendering. `order` numbers the parts: each period's files by period index, then the
    /// index and README (`analysis.periods.count`). The first error thrown by rendering or by
    /// `emit` stops the periods not yet started and is rethrown (the lowest-numbered period's, if several).
    public func render(_ analysis: Pipeline.Analysis, emit: @Sendable (_ order: Int, Site) throws -> Void) throws {
        let config = analysis.configuration
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var first: (order: Int, error: Error)?
            func record(_ order: Int, _ error: Error) {
                lock.lock(); defer { lock.unlock() }
                if first == nil || order < first!.order { first = (order, error) }
            }
            var any: Bool { lock.lock(); defer { lock.unlock() }; return first != nil }
        }
        let failures = Failures()
        final class Shared: @unchecked Sendable { let renderer: PackRenderer; let analysis: Pipeline.Analysis
            init(_ r: PackRenderer, _ a: Pipeline.Analysis) { renderer = r; analysis = a } }
        let shared = Shared(self, analysis)
        let count = analysis.periods.count
        DispatchQueue.concurrentPerform(iterations: count) { step in
            // The latest period first: it has the most to render (forecast, scorecard), and a
            // long task started last would leave one core idle at the end.
            let i = count - 1 - step
            if failures.any { return }
            do {
                var part = Site()
                try shared.renderer.renderPeriod(shared.analysis.periods[i], analysis: shared.analysis, into: &part)
                try emit(i, part)
            } catch { failures.record(i, error) }
        }
        if let failure = failures.first { throw failure.error }
        var site = Site()
        let calendar = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        site.add("index.html", try templates.render("index", [
            "asOf": analysis.asOf.description, "currency": config.currency, "basis": config.costBasis.rawValue,
            "fiscalStart": calendar[config.fiscalYearStartMonth - 1], "stylesheet": templates.stylesheet,
            "periods": analysis.periods.reversed().map { p -> [String: Any] in
                ["name": p.period.name, "folder": p.period.name, "complete": p.period.isComplete, "pdf": linksPDF,
                 "from": p.period.days.lowerBound.description, "to": p.period.days.upperBound.description,
                 "cost": formatter.money(p.bridge.end), "change": formatter.signedPercent(Formatter.change(from: p.bridge.start, to: p.bridge.end)),
                 "coverage": formatter.percent(p.coverage.after)]
            },
        ] as [String: Any]))
        site.add("README.md", """
            # Output

            Generated by `costdefender build`; do not edit: every build replaces this folder whole.
            `index.html` lists the periods; each period folder holds `report.md`, `report.html`,
            `summary.json` and the tables behind the report as CSV and JSON.

            """)
        try emit(analysis.periods.count, site)
    }

    /// One period's report, team pages, tables, charts and JSON files.
    func renderPeriod(_ figures: PeriodFigures, analysis: Pipeline.Analysis, into site: inout Site) throws {
        let config = analysis.configuration
        let folder = figures.period.name
        let common: [String: Any] = [
            "period": figures.period.name + (figures.period.isComplete ? "" : " (to date)"),
            "version": Pipeline.version, "asOf": analysis.asOf.description,
            "currency": config.currency, "basis": config.costBasis.rawValue,
        ]
        var reportContext = common
        reportContext["organisationLine"] = "Fiscal quarter \(figures.period.name), \(figures.period.days.lowerBound) to \(figures.period.days.upperBound). Amounts in \(config.currency), \(config.costBasis == .effective ? "effective (amortised)" : "billed") cost."
        let printed = "\(figures.period.name)\(figures.period.isComplete ? "" : " (to date)") · as of \(analysis.asOf)"
        try page(&site, folder: folder, stem: "report", template: "report", title: "Cloud cost report — \(figures.period.name)",
                 periodName: figures.period.name, printHeader: "Cloud cost report — \(printed)", sections: sections(for: figures), context: reportContext)
        for (team, slug) in figures.teamPages {
            var teamContext = common
            teamContext["team"] = team
            try page(&site, folder: folder + "/teams", stem: slug, template: "team", title: "\(team) — \(figures.period.name)",
                     periodName: figures.period.name, printHeader: "\(team) — \(printed)", sections: teamSections(for: figures, team: team, slug: slug), context: teamContext)
        }
        site.add("\(folder)/bridges.json", BridgeTables.json(figures.variance.bridges).serialized())
        if let anomalies = figures.anomalies { site.add("\(folder)/anomalies.json", anomalies.json(currency: config.currency).serialized()) }
        site.add("\(folder)/summary.json", summary(figures).serialized())
    }

    /// Headline figures for other tools (documented in the README).
    public func summary(_ f: PeriodFigures) -> JSONValue {
        .object([
            "period": .string(f.period.name),
            "from": .string(f.period.days.lowerBound.description),
            "to": .string(f.period.days.upperBound.description),
            "complete": .bool(f.period.isComplete),
            "as_of": .string(f.asOf.description),
            "currency": .string(f.currency),
            "cost_basis": .string(f.basis.rawValue),
            "billed_cost": .money(f.spend.total.billed),
            "effective_cost": .money(f.spend.total.effective),
            "list_cost": .money(f.spend.total.list),
            "contracted_cost": .money(f.spend.total.contracted),
            "prior_cost": .money(f.bridge.start),
            "change": .money(f.bridge.change),
            "unexplained_share_of_change": .double(f.bridge.unexplainedShare),
            "rows_read": .int(f.reconciliation.rowsRead),
            "rows_rejected": .int(f.reconciliation.rowsRejected),
            "allocation_coverage": .double(f.coverage.after),
            "allocation_coverage_before_sharing": .double(f.coverage.before),
            "unallocated_cost": .money(f.coverage.bySource[.unallocated] ?? .zero),
            "reconciles": .bool(f.reconciliation.balances),
        ])
    }
}
