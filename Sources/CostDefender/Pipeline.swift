import Foundation

/// The build, stage by stage: load → cube → convert → allocate → analyse → report → site.
/// Values flow from stage to stage; I/O happens only when loading and when writing the site.
public struct Pipeline {
    public static let version = "0.1.0"

    public var configuration: Configuration
    /// The build date; nil means the data's last day.
    public var asOf: Day?
    /// Where diagnostics print paths from (paths under it are shown relative).
    public var workingDirectory: String
    public var progress: (String) -> Void
    /// Reuse cached cubes of unchanged FOCUS files (`<output>.cache/`); writes new entries.
    public var useCache = true
    /// Rows and bytes read, reported while FOCUS files stream in (from the reading threads).
    public var ingestProgress: (@Sendable (_ rows: Int, _ bytes: Int) -> Void)?
    /// When set, each period's report is also printed to `report.pdf` (before the swap).
    public var pdfPrinter: PDFPrinter?

    public init(configuration: Configuration, asOf: Day? = nil, workingDirectory: String = FileManager.default.currentDirectoryPath,
                progress: @escaping (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.asOf = asOf
        self.workingDirectory = workingDirectory
        self.progress = progress
    }

    func display(_ path: String) -> String {
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        let standard = (path as NSString).standardizingPath
        return standard.hasPrefix(base) ? String(standard.dropFirst(base.count)) : standard
    }

    /// Everything the analyses produce, before rendering.
    public struct Analysis: Sendable {
        public var configuration: Configuration
        public var asOf: Day
        public var allocated: AllocatedCosts
        public var business: BusinessInputs
        public var reconciliation: Reconciliation
        public var periods: [PeriodFigures]
        public var diagnostics: Diagnostics
    }

    /// Loads and checks every input; never throws for bad rows, only for unreadable files.
    public func load() throws -> (cube: CostCube, files: [FOCUSFileSummary], business: BusinessInputs, diagnostics: Diagnostics) {
        let stores = DispatchGroup()
        defer { stores.wait() }
        return try load(storingIn: stores)
    }

    /// `load()`, with new cube cache entries written on other threads in `stores` (the caller
    /// waits for it before it finishes): the writing overlaps the stages after loading.
    func load(storingIn stores: DispatchGroup) throws -> (cube: CostCube, files: [FOCUSFileSummary], business: BusinessInputs, diagnostics: Diagnostics) {
        let config = configuration
        guard !config.inputs.focus.isEmpty else {
            throw CostDefenderError.config(path: "config", message: "no FOCUS input: set inputs.focus in the config or pass --focus PATH")
        }
        var diagnostics = Diagnostics()
        let calendar = FiscalCalendar(startMonth: config.fiscalYearStartMonth)
        let business = try BusinessInputsLoader(calendar: calendar, displayPath: display).load(config.inputs, diagnostics: &diagnostics)
        var reader = FOCUSReader(shape: CubeShape(configuration: config, business: business))
        reader.displayPath = display
        reader.onProgress = ingestProgress
        var cube = CostCube()
        var files: [FOCUSFileSummary] = []
        let paths = try FOCUSReader.expand(config.inputs.focus)
        let cache = useCache ? CubeCache(folder: config.cacheFolder, reader: reader) : nil
        var index = cache?.loadIndex() ?? [:]
        var entrySizes = cache?.entrySizes() ?? []
        for (i, path) in paths.enumerated() {
            // A file whose content and reading settings are unchanged comes from the cache. A file
            // that cannot be in it (no entry has its size) is hashed while it is read, not before.
            let plan = try cache?.plan(path, index: &index, entrySizes: entrySizes)
            if let cache, case .hashed(let hash)? = plan, let (cached, entry) = cache.load(contentHash: hash) {
                progress("[cached \(i + 1)/\(paths.count)] \(display(path))")
                try Self.checkMagnitude(cached, of: display(path))
                cube.merge(cached)
                var summary = entry.summary
                summary.path = display(path)
                files.append(summary)
                diagnostics.restore(items: entry.diagnostics, suppressed: entry.suppressed)
                continue
            }
            progress("[load \(i + 1)/\(paths.count)] \(display(path))")
            var fileCube = CostCube()
            var fileDiagnostics = Diagnostics()
            let summary = try RollupReader.isRollup(path: path)
                ? RollupReader(matching: reader).read(file: path, into: &fileCube, diagnostics: &fileDiagnostics)
                : reader.read(file: path, into: &fileCube, diagnostics: &fileDiagnostics, hashing: plan?.hashing)
            try Self.checkMagnitude(fileCube, of: display(path))
            if let cache, let plan, let hash = try cache.contentHash(after: plan, path, index: &index) {
                let entry = CubeCache.Entry(summary: summary, diagnostics: fileDiagnostics.items, suppressed: fileDiagnostics.suppressed)
                let cubeToStore = fileCube
                DispatchQueue.global().async(group: stores) { cache.store(contentHash: hash, cube: cubeToStore, entry: entry) }
                if let size = CubeCache.size(ofKey: hash) { entrySizes.insert(size) }
            }
            if paths.count == 1 { cube = fileCube } else { cube.merge(fileCube) }
            files.append(summary)
            diagnostics.merge(fileDiagnostics)
        }
        cache?.saveIndex(index)
        if paths.count > 1 { try Self.checkMagnitude(cube, of: config.inputs.focus.map(display).joined(separator: ", ")) }
        return (cube, files, business, diagnostics)
    }

    /// Refuses FOCUS input whose costs add up beyond `Amount.maximumTotal` (or overflowed while
    /// being summed): no real bill does, and every figure of the pack must stay exact.
    static func checkMagnitude(_ cube: CostCube, of file: String) throws {
        guard let measure = cube.measureBeyondMaximumTotal() else { return }
        throw CostDefenderError.input(SourceLocation(file: file), message: "the \(measure) values add up to more than 10^22 in magnitude, more than any real bill",
                                      hint: "check the export for a corrupt value")
    }

    /// Loads, allocates and analyses. Throws `invalidInputs` when the inputs have errors beyond
    /// the configured tolerance for rejected FOCUS rows.
    public func analyse() throws -> Analysis {
        let config = configuration
        let stores = DispatchGroup()
        defer { stores.wait() }
        var (cube, files, business, diagnostics) = try load(storingIn: stores)
        let rejected = files.reduce(0) { $0 + $1.rowsRejected }
        let businessErrors = diagnostics.errors.filter { d in !files.contains { $0.path == d.location.file } }
        if rejected > config.thresholds.maxRejectedRows || !businessErrors.isEmpty {
            throw CostDefenderError.invalidInputs(diagnostics.errors)
        }
        guard let range = cube.dayRange else {
            // The reasons there are no rows (an empty file, a broken header) say more than their absence.
            if diagnostics.hasErrors { throw CostDefenderError.invalidInputs(diagnostics.errors) }
            throw CostDefenderError.input(SourceLocation(file: config.inputs.focus.map(display).joined(separator: ", ")),
                                          message: "the FOCUS input has no cost rows", hint: "check that the export is not empty")
        }
        progress("[convert] currency \(config.currency)")
        let (converted, didConvert) = try CurrencyConversion.convert(cube, to: config.currency, rates: business.fxRates, fxFile: config.inputs.fx.map(display))
        cube = converted
        progress("[allocate] \(cube.daily.count) cube cells")
        let allocator = Allocator(config: config.allocation, costBasis: config.costBasis, metrics: business.metrics)
        let allocated = allocator.allocate(cube)
        for o in allocated.orphanPools {
            diagnostics.warning(SourceLocation(file: "config"), "shared pool `\(o.pool)` had no recipient team in \(o.month); its cost stays unallocated")
        }
        for team in Set(business.ledger.map(\.team)).sorted() where !allocated.teams.contains(team) {
            diagnostics.warning(SourceLocation(file: config.inputs.ledger.map(display) ?? "ledger"), "ledger team `\(team)` has no cost in the data")
        }
        let reconciliation = Reconciliation(files: files, cube: cube, allocated: allocated, converted: didConvert)
        guard reconciliation.balances else {
            throw CostDefenderError.input(SourceLocation(file: "(internal)"), message: "the allocated totals differ from the input totals", hint: "this is a defect; please report it")
        }
        let asOf = self.asOf ?? range.upperBound
        let calendar = FiscalCalendar(startMonth: config.fiscalYearStartMonth)
        let periods = ReportingPeriod.all(data: range, asOf: asOf, calendar: calendar)
        if periods.isEmpty {
            throw CostDefenderError.input(SourceLocation(file: "--as-of"), message: "the as-of date \(asOf) is before the first day of data (\(range.lowerBound))", hint: "pass a later --as-of or omit it")
        }
        let query = FactQuery(allocated)
        // Whether each day of the data's range has a cell (by offset from its first day).
        var hasData = [Bool](repeating: false, count: Int(range.upperBound.index - range.lowerBound.index) + 1)
        for key in cube.daily.keys { hasData[Int(key.time - range.lowerBound.index)] = true }
        let dataDays = (first: range.lowerBound.index, has: hasData)
        func countDaysWithData(_ days: ClosedRange<Day>) -> Int {
            days.filter { $0.index >= dataDays.first && Int($0.index - dataDays.first) < dataDays.has.count && dataDays.has[Int($0.index - dataDays.first)] }.count
        }
        let volumeDrivers = Self.volumeDrivers(business.metrics, configured: config.volumeDrivers)
        progress("[savings] \(business.ledger.count) ledger entries")
        let savings = SavingsVerification(cube: cube, ledger: business.ledger, metrics: business.metrics, asOf: asOf,
                                          basis: config.costBasis, settings: config.savings)
        for w in savings.warnings { diagnostics.warning(SourceLocation(file: config.inputs.ledger.map(display) ?? "ledger", line: w.line), w.text) }
        // Periods are independent analyses of the same read-only facts, and so is the forecast
        // (made as of the build date, it goes with the period containing it): two at a time on
        // two cores, the forecast first (the longest), the periods kept in order.
        progress("[analyse] \(periods.count) periods: \(periods.first!.name) to \(periods.last!.name); forecast as of \(asOf)")
        let diagnosticsSoFar = diagnostics
        let archive = try ForecastArchive.read(path: config.forecastHistoryPath, diagnostics: &diagnostics)
        let contacts = config.teams
        func analyse(_ period: ReportingPeriod) -> PeriodFigures {
            let budget = BudgetVariance(query: query, period: period, calendar: calendar, budgets: business.budgets,
                                        basis: config.costBasis, tolerance: config.thresholds.budgetTolerance)
            let budgetTargets = budget.hasBudgets ? (teams: budget.quarter.budgetsByTeam, total: budget.quarter.organisationBudget) : nil
            var f = PeriodFigures(
                period: period, basis: config.costBasis, currency: config.currency,
                spend: SpendBreakdown(query, period: period, basis: config.costBasis),
                variance: VarianceAnalysis(query, period: period, basis: config.costBasis, business: business,
                                           volumeDrivers: volumeDrivers, budgetTargets: budgetTargets, savings: savings),
                budget: budget,
                unitEconomics: UnitEconomics(query: query, period: period, calendar: calendar, metrics: business.metrics, basis: config.costBasis),
                coverage: AllocationCoverage(query, period: period, basis: config.costBasis, allocator: allocator, mandatoryTags: config.mandatoryTags),
                reconciliation: reconciliation, diagnostics: diagnosticsSoFar,
                daysWithData: countDaysWithData(period.days),
                comparisonDaysWithData: countDaysWithData(period.comparison),
                asOf: asOf, accountNames: cube.accountNames)
            f.teamContacts = contacts
            f.savings = savings
            f.calendar = calendar
            f.commitments = CommitmentDiscounts(query, window: period.days, basis: config.costBasis)
            f.anomalies = AnomalyDetector(query, window: period.days, basis: config.costBasis, contacts: contacts, notes: business.notes)
            f.teamPages = TeamSlugs.assign(f.spend.byTeam.filter { !$0.value.cost(config.costBasis).isZero || $0.value.rows > 0 }.keys.sorted())
            return f
        }
        final class Results: @unchecked Sendable {
            var figures: [PeriodFigures?]
            var forecast: ForecastAnalysis?
            let analyse: (ReportingPeriod) -> PeriodFigures
            let forecastNow: () -> ForecastAnalysis
            init(_ n: Int, _ analyse: @escaping (ReportingPeriod) -> PeriodFigures, _ forecast: @escaping () -> ForecastAnalysis) {
                figures = Array(repeating: nil, count: n); self.analyse = analyse; forecastNow = forecast
            }
        }
        let results = Results(periods.count, analyse) {
            ForecastAnalysis(query, data: range, asOf: asOf, calendar: calendar, basis: config.costBasis,
                             finance: business.forecasts, archive: archive.rows)
        }
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: periods.count + 1) { i in
            if i == 0 {
                let f = results.forecastNow()
                lock.lock(); results.forecast = f; lock.unlock()
            } else {
                let f = results.analyse(periods[i - 1])
                lock.lock(); results.figures[i - 1] = f; lock.unlock()
            }
        }
        var figures = results.figures.map { $0! }
        let forecast = results.forecast!
        if let last = figures.indices.last {
            figures[last].forecast = forecast
            let next = forecast.nextQuarter
            let nextPeriod = ReportingPeriod(quarter: next, days: next.days, comparison: next.previous.days)
            let budget = BudgetVariance(query: query, period: nextPeriod, calendar: calendar, budgets: business.budgets,
                                        basis: config.costBasis, tolerance: config.thresholds.budgetTolerance)
            figures[last].nextQuarterBudget = budget.hasBudgets ? budget.quarter : nil
            figures[last].scorecard = MaturityScorecard(Self.maturityInputs(figures[last]), thresholds: config.maturity,
                                                        formatter: Formatter(currency: config.currency))
        }
        return Analysis(configuration: config, asOf: asOf, allocated: allocated, business: business,
                        reconciliation: reconciliation, periods: figures, diagnostics: diagnostics)
    }

    /// The scorecard's figures, each taken from the analysis whose table shows it.
    static func maturityInputs(_ f: PeriodFigures) -> MaturityScorecard.Inputs {
        var i = MaturityScorecard.Inputs()
        i.allocationCoverage = f.coverage.after
        i.sharedCostsAllocated = (f.coverage.grossBySource[.shared] ?? .zero) > .zero
        if let a = f.anomalies {
            i.anomalyCount = a.anomalies.count
            let total = a.anomalies.reduce(0.0) { $0 + abs($1.impact.doubleValue) }
            let owned = a.anomalies.filter { $0.team != AllocatedCosts.unallocatedTeam && $0.contact != nil }.reduce(0.0) { $0 + abs($1.impact.doubleValue) }
            i.anomalyOwnerShare = total == 0 ? (a.anomalies.isEmpty ? 1 : nil) : owned / total
            let delays = a.anomalies.map { $0.firstDay.distance(to: f.asOf) }.sorted()
            i.anomalyMedianDelayDays = delays.isEmpty ? nil : delays[delays.count / 2]
        }
        if let s = f.savings {
            let all = SavingsFunnel(s.results, window: "all", identifiedIn: nil)
            i.implementationRate = all.implementationRate.count
            let measured = s.results.filter { $0.realisedMonthly != nil }
            i.implementedCount = s.results.filter { $0.entry.status == .implemented }.count
            i.verifiedShareOfMeasured = measured.isEmpty ? nil : Double(measured.filter { $0.status == .verified }.count) / Double(measured.count)
        }
        i.unexplainedShare = f.comparisonDaysWithData == 0 ? nil : (f.bridge.unexplainedShare ?? 0)
        i.unitMetrics = f.unitEconomics.series.count
        let organisation = f.unitEconomics.series.filter { $0.scope == .organisation }
        i.unitCostQuarters = organisation.map { $0.quarters.filter { $0.figures.costPerUnit != nil }.count }.max() ?? 0
        i.unitCostTrend = organisation.first?.trend
        if let ledger = f.forecast?.ledger {
            let months = Set(ledger.months.suffix(12))
            let finance = ledger.entries.filter { $0.source == .finance && $0.team == nil && $0.horizon == 1 && months.contains($0.month) }.compactMap(\.variance)
            i.forecastMonths = finance.count
            i.forecastVariance = finance.isEmpty ? nil : finance.map(abs).reduce(0, +) / Double(finance.count)
        }
        i.commitmentCoverage = f.commitments?.coverage
        return i
    }

    /// Team → metric values by month, for teams whose volume driver is configured or who have
    /// exactly one metric of their own.
    static func volumeDrivers(_ metrics: [MetricValue], configured: [String: String]) -> [String: [Month: Amount]] {
        var byTeam: [String: Set<String>] = [:]
        for m in metrics { if let t = m.team { byTeam[t, default: []].insert(m.metric) } }
        var out: [String: [Month: Amount]] = [:]
        for (team, names) in byTeam {
            guard let metric = configured[team] ?? (names.count == 1 ? names.first : nil) else { continue }
            for m in metrics where m.team == team && m.metric == metric { out[team, default: [:]][m.month, default: .zero] += m.value }
        }
        return out
    }

    /// The whole build: analyse, render, and swap the new site into the output folder.
    @discardableResult
    public func build() throws -> Analysis {
        let analysis = try analyse()
        progress("[render] \(analysis.periods.count) periods, written as they are made")
        guard let builtIn = TemplateSet.builtInFolder() else {
            throw CostDefenderError.io(path: "Templates", message: "cannot find the built-in templates; set COSTDEFENDER_TEMPLATES to the Templates folder")
        }
        let templates = try TemplateSet(builtIn: builtIn, override: configuration.templates)
        var renderer = PackRenderer(templates: templates, formatter: Formatter(currency: configuration.currency))
        renderer.linksPDF = pdfPrinter != nil
        // Each period's files are written as soon as they are rendered, on the rendering thread.
        try SiteWriter(output: configuration.output).write(beforeSwap: { staging in
            // Printed from the staging folder, so a failed print leaves the previous pack in place.
            try pdfPrinter?.printReports(site: staging, periods: analysis.periods.map(\.period.name), date: analysis.asOf, progress: progress)
        }, content: { staging in
            try renderer.render(analysis) { _, part in try staging.write(part) }
        })
        progress("[written] \(display(configuration.output))")
        // Remember this build's forecasts (append-only; a re-run for the same date adds nothing).
        if let forecast = analysis.periods.last?.forecast {
            var diagnostics = Diagnostics()
            var archive = try ForecastArchive.read(path: configuration.forecastHistoryPath, diagnostics: &diagnostics)
            let added = try archive.append(forecast.archiveRows)
            progress("[history] \(added) forecasts added to \(display(configuration.forecastHistoryPath))")
        }
        return analysis
    }

    /// Checks every input and returns all problems (errors and warnings); writes nothing.
    public func validate() -> [Diagnostic] {
        // Validation writes nothing, not even cube cache entries, and reads every file.
        var pipeline = self
        pipeline.useCache = false
        do {
            var (cube, _, business, diagnostics) = try pipeline.load()
            if cube.dayRange == nil { diagnostics.error(SourceLocation(file: "focus"), "the FOCUS input has no cost rows") }
            do {
                (cube, _) = try CurrencyConversion.convert(cube, to: configuration.currency, rates: business.fxRates, fxFile: configuration.inputs.fx.map(display))
            } catch let e as CostDefenderError {
                if case .input(let loc, let message, let hint) = e { diagnostics.error(loc, message, hint: hint) }
            }
            return diagnostics.items
        } catch let e as CostDefenderError {
            return [Diagnostic(.error, SourceLocation(file: "inputs"), e.description)]
        } catch {
            return [Diagnostic(.error, SourceLocation(file: "inputs"), "\(error)")]
        }
    }
}
