import Foundation
import CZlib

// MARK: - Byte output

extension SampleGenerator {
    /// A fixed-size output buffer drained in large chunks (to gzip or to a plain file).
    /// Memory stays constant whatever the number of rows written.
    final class ByteSink {
        let capacity: Int
        let base: UnsafeMutablePointer<UInt8>
        var count = 0
        private let drain: (UnsafeMutablePointer<UInt8>, Int) throws -> Void

        init(capacity: Int = 1 << 20, drain: @escaping (UnsafeMutablePointer<UInt8>, Int) throws -> Void) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
            self.drain = drain
        }

        deinit { base.deallocate() }

        /// Makes room for a row (rows are far below 16 KB).
        @inline(__always) func reserveRow() throws { if count + 16384 > capacity { try flush() } }

        func flush() throws {
            if count > 0 { try drain(base, count); count = 0 }
        }

        @inline(__always) func put(_ b: UInt8) { base[count] = b; count &+= 1 }

        @inline(__always) func put(_ a: [UInt8]) {
            let n = a.count
            if n == 0 { return }
            a.withUnsafeBufferPointer { (base + count).update(from: $0.baseAddress!, count: n) }
            count &+= n
        }

        @inline(__always) func comma() { put(44) }

        /// A fixed-point number: `v` in units of 10^-decimals, written with exactly `decimals` decimals.
        @inline(__always) func fixed(_ v: Int64, _ decimals: Int) {
            if v < 0 { put(45) }
            let pow = SampleGenerator.pow10[decimals]
            let mag = v.magnitude
            var ip = mag / pow
            var frac = mag % pow
            var digits = 1
            var t = ip
            while t >= 10 { t /= 10; digits &+= 1 }
            let len = digits + 1 + decimals
            var i = count + len - 1
            for _ in 0..<decimals { base[i] = 48 &+ UInt8(truncatingIfNeeded: frac % 10); frac /= 10; i &-= 1 }
            base[i] = 46; i &-= 1
            repeat { base[i] = 48 &+ UInt8(truncatingIfNeeded: ip % 10); ip /= 10; i &-= 1 } while ip > 0
            count &+= len
        }

        /// Money in 1e-10 units: 10 decimals, or E-notation for tiny amounts when `e` is set.
        @inline(__always) func money(_ v: Int64, _ e: Bool) {
            if e && v != 0 && v > -1_000_000 && v < 1_000_000 { scientific(v) } else { fixed(v, 10) }
        }

        func scientific(_ v: Int64) {
            if v < 0 { put(45) }
            var u = v.magnitude
            var exp = -10
            while u % 10 == 0 { u /= 10; exp += 1 }
            var digits: [UInt8] = []
            while u > 0 { digits.append(48 + UInt8(u % 10)); u /= 10 }
            digits.reverse()
            exp += digits.count - 1
            put(digits[0])
            if digits.count > 1 { put(46); for d in digits[1...] { put(d) } }
            put(69)
            if exp < 0 { put(45) }
            var e = exp.magnitude
            var ed: [UInt8] = []
            repeat { ed.append(48 + UInt8(e % 10)); e /= 10 } while e > 0
            for d in ed.reversed() { put(d) }
        }

        @inline(__always) func quantity(_ q: Int64?) {
            if let q { fixed(q, 6) } else { put(SampleGenerator.nullCell) }
        }

        @inline(__always) func unitPrice(_ p: Int64?) {
            if let p { fixed(p, 10) } else { put(SampleGenerator.nullCell) }
        }
    }

    static let pow10: [UInt64] = (0...18).map { (0..<$0).reduce(UInt64(1)) { r, _ in r * 10 } }

    /// zlib gzip output.
    final class GzFile {
        let path: String
        private var file: gzFile?

        init(path: String) throws {
            self.path = path
            guard let f = gzopen(path, "wb6") else {
                throw CostDefenderError.io(path: path, message: "cannot open for writing: \(String(cString: strerror(errno)))")
            }
            file = f
            _ = gzbuffer(f, 1 << 18)
        }

        func write(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws {
            guard let file else { throw CostDefenderError.io(path: path, message: "write after close") }
            if gzwrite(file, p, UInt32(n)) != Int32(n) {
                throw CostDefenderError.io(path: path, message: "gzip write failed")
            }
        }

        func close() throws {
            guard let f = file else { return }
            file = nil
            if gzclose(f) != Z_OK { throw CostDefenderError.io(path: path, message: "gzip close failed (disk full?)") }
        }

        deinit { if let f = file { gzclose(f) } }
    }

    // MARK: - Row layout

    static let columns = ["AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
                          "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd",
                          "ChargePeriodStart", "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
                          "CommitmentDiscountStatus", "CommitmentDiscountType", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
                          "ContractedUnitPrice", "EffectiveCost", "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory",
                          "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId",
                          "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId",
                          "SubAccountName", "Tags", "x_CostCenter"]
    static let header: [UInt8] = encodeCells(columns) + [10]
    static let nullCell: [UInt8] = Array("NULL".utf8)
    static let billingCells = encodeCells([billingAccount.id, billingAccount.name, "USD"])
    static let issuerCell = encodeCells(["Amazon Web Services, Inc."])
    static let noCommitment = encodeCells([nil, nil, nil, nil, nil])
    static let spArn = "arn:aws:savingsplans::508712334190:savingsplan/3f9c2a7e-51d4-4b8e-9a0c-7d2e6b1f4c85"
    static let spName = "Compute Savings Plan (3 year, No Upfront)"
    static let spService = "Savings Plans for AWS Compute usage"

    /// The text cells of a row (numbers are passed separately).
    struct Cells {
        var az: [UInt8]
        var category: [UInt8]
        var chargeClass: [UInt8]
        var description: [UInt8]
        var frequency: [UInt8]
        var commitment: [UInt8]
        var unit: [UInt8]
        var pricingCategory: [UInt8]
        var tail: [UInt8]
    }

    struct Money {
        var billed: Int64, contracted: Int64, effective: Int64, list: Int64
        var consumed: Int64?, pricing: Int64?
        var contractedUnit: Int64?, listUnit: Int64?
        static func all(_ x: Int64) -> Money { Money(billed: x, contracted: x, effective: x, list: x) }
    }

    /// The period cells of a row.
    struct Period {
        var billingStart: [UInt8], billingEnd: [UInt8], chargeStart: [UInt8], chargeEnd: [UInt8]
    }

    @inline(__always)
    static func writeRow(_ o: ByteSink, _ c: Cells, _ m: Money, _ p: Period, e: Bool) {
        o.put(c.az); o.comma()
        o.money(m.billed, e); o.comma()
        o.put(billingCells); o.comma()
        o.put(p.billingEnd); o.comma()
        o.put(p.billingStart); o.comma()
        o.put(c.category); o.comma()
        o.put(c.chargeClass); o.comma()
        o.put(c.description); o.comma()
        o.put(c.frequency); o.comma()
        o.put(p.chargeEnd); o.comma()
        o.put(p.chargeStart); o.comma()
        o.put(c.commitment); o.comma()
        o.quantity(m.consumed); o.comma()
        o.put(c.unit); o.comma()
        o.money(m.contracted, e); o.comma()
        o.unitPrice(m.contractedUnit); o.comma()
        o.money(m.effective, e); o.comma()
        o.put(issuerCell); o.comma()
        o.money(m.list, e); o.comma()
        o.unitPrice(m.listUnit); o.comma()
        o.put(c.pricingCategory); o.comma()
        o.quantity(m.pricing); o.comma()
        o.put(c.tail)
        o.put(10)
    }

    /// A quoted date-time cell: `YYYY-MM-DDTHH:MM:SSZ`, or `YYYY-MM-DD HH:MM:SS` when `plain`.
    static func dateCell(_ epochDay: Int, hour: Int = 0, plain: Bool) -> [UInt8] {
        let c = civil(epochDay)
        var out: [UInt8] = [34]
        func two(_ n: Int) { out.append(48 + UInt8(n / 10)); out.append(48 + UInt8(n % 10)) }
        two(c.y / 100); two(c.y % 100); out.append(45); two(c.m); out.append(45); two(c.d)
        out.append(plain ? 32 : 84)
        two(hour); out += [58, 48, 48, 58, 48, 48]
        if !plain { out.append(90) }
        out.append(34)
        return out
    }

    /// `q` (micro-units) × `price` (1e-10 units) in 1e-10 units, rounded half away from zero.
    @inline(__always) static func cost(_ q: Int64, _ price: Int64) -> Int64 {
        let p = Int128(q) * Int128(price)
        let r = p >= 0 ? (p + 500_000) / 1_000_000 : (p - 500_000) / 1_000_000
        return Int64(r)
    }

    /// How a month's export looks: date format, E-notation for tiny amounts, enum case drift.
    struct MonthStyle {
        var plainDates: Bool
        var eNotation: Bool
        var frequency: [UInt8]
        var used: String
        init(_ m: Int) {
            plainDates = [3, 4, 11, 18].contains(m)
            eNotation = m % 3 == 1
            frequency = SampleGenerator.encodeCells([m == 11 || m == 19 ? "Usage-based" : "Usage-Based"])
            used = m == 19 ? "used" : "Used"
        }
    }
}

// MARK: - Monthly FOCUS files

extension SampleGenerator {
    enum Pricing { case standard, spot, savingsPlan(Int64), reserved(Int64) }

    struct MonthWriter {
        let p: Plan
        let m: Int
        let o: ByteSink
        let style: MonthStyle
        var period: Period
        var acc: Accumulators
        var monthBilled: Int64 = 0
        var accountBilled: [Int64]
        var spRemaining: Int64 = 0
        let usageCell = encodeCells(["Usage"])
        let nullCell = encodeCells([nil])
        let standardCell = encodeCells(["Standard"])
        let committedCell = encodeCells(["Committed"])
        let dynamicCell = encodeCells(["Dynamic"])
        let spUsed: [UInt8]
        let spUnused: [UInt8]
        let riUsed: [UInt8]
        var riId = "NULL"

        init(_ p: Plan, _ m: Int, _ o: ByteSink, _ acc: Accumulators) {
            self.p = p; self.m = m; self.o = o; self.acc = acc
            style = MonthStyle(m)
            let bs = SampleGenerator.dateCell(p.firstDay + p.monthStart[m], plain: style.plainDates)
            let be = SampleGenerator.dateCell(p.firstDay + p.monthStart[m + 1], plain: style.plainDates)
            period = Period(billingStart: bs, billingEnd: be, chargeStart: bs, chargeEnd: be)
            accountBilled = Array(repeating: 0, count: SampleGenerator.accounts.count)
            buckets = Array(repeating: [], count: p.series.count + 1)
            spUsed = encodeCells(["Spend", spArn, spName, style.used, "Compute Savings Plan"])
            spUnused = encodeCells(["Spend", spArn, spName, "Unused", "Compute Savings Plan"])
            var riName = "Reserved Instance"
            if let s = p.riSeries {
                let r = p.series[s].slots[0][0]
                riName = "\(r.typeName) 1 year All Upfront"
                riId = "arn:aws:rds:us-east-1:\(SampleGenerator.accounts[p.teams[p.series[s].team].account].id):ri:payments-wallet-ri-1"
            }
            riUsed = encodeCells(["Usage", riId, riName, style.used, "Reserved Instance"])
        }

        /// Rows are grouped by series (then day) inside a month file, as exports group line items;
        /// it also keeps similar rows within gzip's window.
        var buckets: [[UInt8]]
        var bucket = 0

        mutating func emit(_ cells: Cells, _ money: Money, _ period: Period) {
            o.count = 0
            SampleGenerator.writeRow(o, cells, money, period, e: style.eNotation)
            buckets[bucket].append(contentsOf: UnsafeBufferPointer(start: o.base, count: o.count))
        }

        func noise(_ s: Int, _ d: Int, _ sd: Double) -> Double {
            let a = p.gen.h(UInt64(s) &+ 1000, UInt64(d), 7)
            let u = SampleGenerator.unit(a) + SampleGenerator.unit(SampleGenerator.finalize(a ^ 0x55)) + SampleGenerator.unit(SampleGenerator.finalize(a ^ 0xAA))
            return 1 + sd * (u - 1.5)
        }

        func u(_ s: Int, _ d: Int, _ k: Int) -> Double { SampleGenerator.unit(p.gen.h(UInt64(s) &+ 5000, UInt64(d), UInt64(k))) }

        mutating func record(_ team: Int?, _ account: Int, _ money: Money) {
            if let team { acc.teamMonth[team][m] += Double(money.effective) / 1e10 }
            acc.totalMonth[m] += Double(money.effective) / 1e10
            acc.rows[m] += 1
            monthBilled += money.billed
            accountBilled[account] += money.billed
        }

        /// A usage row of a resource on day `d`.
        mutating func usage(_ r: Res, _ d: Int, _ q: Int64, _ pricing: Pricing) throws {
            let list = SampleGenerator.cost(q, r.price)
            var money = Money.all(list)
            money.consumed = q; money.pricing = q
            money.contractedUnit = r.price; money.listUnit = r.price
            var cells = Cells(az: r.encAZ, category: usageCell, chargeClass: nullCell, description: r.encDescription, frequency: style.frequency,
                              commitment: SampleGenerator.noCommitment, unit: r.encUnit, pricingCategory: standardCell,
                              tail: r.encTail[d >= r.fixDay ? 1 : 0])
            switch pricing {
            case .standard: break
            case .spot:
                let f = 0.30 + 0.08 * self.u(999_999, d, Int(r.price % 1000))
                money.billed = Int64((Double(list) * f).rounded()); money.effective = money.billed
                cells.pricingCategory = dynamicCell
            case .savingsPlan(let eff):
                money.billed = 0; money.effective = eff
                cells.pricingCategory = committedCell; cells.commitment = spUsed; cells.description = r.encCommittedDescription
            case .reserved(let eff):
                money.billed = 0; money.effective = eff
                cells.pricingCategory = committedCell; cells.commitment = riUsed; cells.description = r.encCommittedDescription
            }
            emit(cells, money, period)
            record(r.team, r.account, money)
        }

        mutating func day(_ d: Int) throws {
            period.chargeStart = SampleGenerator.dateCell(p.firstDay + d, plain: style.plainDates)
            period.chargeEnd = SampleGenerator.dateCell(p.firstDay + d + 1, plain: style.plainDates)
            spRemaining = (p.spStart.map { d >= $0 } ?? false) ? p.spDaily : 0
            for s in p.series.indices { bucket = s; try series(s, d) }
            bucket = p.series.count
            if spRemaining > 0 {
                var money = Money.all(0)
                money.effective = spRemaining
                let cells = Cells(az: nullCell, category: usageCell, chargeClass: nullCell,
                                  description: encodeCells(["Unused Savings Plan commitment"]), frequency: style.frequency,
                                  commitment: spUnused, unit: nullCell, pricingCategory: committedCell, tail: spTail())
                emit(cells, money, period)
                record(nil, SampleGenerator.prodCore, money)
            }
        }

        func spTail() -> [UInt8] {
            let a = SampleGenerator.accounts[SampleGenerator.prodCore]
            return encodeCells(["Hrs", "AWS", "Amazon Web Services, Inc.", nil, nil, SampleGenerator.spArn, nil, "Savings Plan", "Compute",
                                SampleGenerator.spService, "7VBRWEWYFC4BDBJQ", "7VBRWEWYFC4BDBJQ.JRTCKXETXF.SPCMPT3YNU", a.id, a.name, nil, nil])
        }

        mutating func series(_ s: Int, _ d: Int) throws {
            let se = p.series[s]
            let gen = (se.switchDay.map { d >= $0 } ?? false) ? 1 : 0
            switch se.kind {
            case .instances:
                let expected = p.expected(s, d)
                guard expected > 0.01 else { return }
                let target = expected * noise(s, d, se.noise)
                let p0 = se.family[se.typeIndex].price
                let n = min(se.slots[0].count, max(1, Int((expected / (24 * p0 * 0.92)).rounded(.up))))
                let hours = target / p0 / Double(n)
                for k in 0..<n {
                    let h = min(24, hours * (1 + 0.08 * (u(s, d, k) - 0.5)))
                    let r = se.slots[gen][k]
                    let q = Int64((h * 100).rounded()) * 10_000
                    if q <= 0 { continue }
                    if se.spEligible && spRemaining > 0 {
                        let full = SampleGenerator.cost(q, r.spRate)
                        if full <= spRemaining {
                            spRemaining -= full
                            try usage(r, d, q, .savingsPlan(full))
                        } else {
                            let qc = Int64(Double(spRemaining) / Double(r.spRate) * 100) * 10_000
                            if qc > 0 && qc < q {
                                try usage(r, d, qc, .savingsPlan(spRemaining))
                                spRemaining = 0
                                try usage(r, d, q - qc, .standard)
                            } else {
                                try usage(r, d, q, .standard)
                            }
                        }
                    } else {
                        try usage(r, d, q, se.spot ? .spot : .standard)
                    }
                }
            case .databases:
                let expected = p.expected(s, d, week: false)
                guard expected > 0.01 else { return }
                let p0 = se.family[se.typeIndex].price
                let n = min(se.slots[0].count, max(1, Int((expected / (24 * p0) - 0.2).rounded(.up))))
                for k in 0..<n {
                    let r = se.slots[gen][k]
                    if s == p.riSeries && k == 0 && d >= p.riStart && d < p.riEnd {
                        try usage(r, d, 24_000_000, .reserved(p.riDaily))
                    } else {
                        try usage(r, d, 24_000_000, .standard)
                    }
                }
            case .clusters(let n):
                guard p.expected(s, d) > 0 else { return }
                for k in 0..<n { try usage(se.slots[0][k], d, 24_000_000, .standard) }
            case .nodes:
                let expected = p.expected(s, d, week: false)
                guard expected > 0.01 else { return }
                let r = se.slots[0][0]
                let nodes = max(1, Int((expected / (24 * r.priceDouble)).rounded()))
                try usage(r, d, Int64(nodes) * 24_000_000, .standard)
            case .usage:
                let expected = p.expected(s, d)
                guard expected > 0 else { return }
                let target = expected * noise(s, d, se.noise)
                for (j, share) in se.shares.enumerated() {
                    let r = se.slots[0][j]
                    let x = target * share * p.slotFactor(s, j, d)
                    let q = Int64((x / r.priceDouble * 1e6 / Double(r.grain)).rounded()) * r.grain
                    if q <= 0 { continue }
                    if let run = p.mediaRunaway, d >= run.from && d < run.to && p.teams[se.team].name == "media" && se.svc == .s3 {
                        acc.mediaExcess += Double(SampleGenerator.cost(q, r.price)) / 1e10 * 5 / 6
                    }
                    try usage(r, d, q, .standard)
                }
                if let tiny = se.tiny, p.weekday[d] < 5, u(s, d, 99) < 0.3 {
                    let q = Int64((0.3 + 3.5 * u(s, d, 98)) * 1000) * 1000
                    try usage(tiny, d, q, .standard)
                }
            }
        }

        /// A non-usage row carried by a resource (credit, refund, correction): its tags and ids.
        mutating func resourceRow(_ r: Res, category: String, chargeClass: String?, description: String, frequency: String,
                                  pricingCategory: String?, start: Int, end: Int, amount: Int64) throws {
            let period = Period(billingStart: self.period.billingStart, billingEnd: self.period.billingEnd,
                                chargeStart: SampleGenerator.dateCell(p.firstDay + start, plain: style.plainDates),
                                chargeEnd: SampleGenerator.dateCell(p.firstDay + end, plain: style.plainDates))
            let cells = Cells(az: nullCell, category: encodeCells([category]), chargeClass: encodeCells([chargeClass]),
                              description: encodeCells([description]), frequency: encodeCells([frequency]),
                              commitment: SampleGenerator.noCommitment, unit: nullCell, pricingCategory: encodeCells([pricingCategory]),
                              tail: r.encTail[start >= r.fixDay ? 1 : 0])
            let money = Money.all(amount)
            emit(cells, money, period)
            record(r.team, r.account, money)
        }

        /// A row with no resource (purchases, support, tax).
        mutating func accountRow(account: Int, category: String, description: String, frequency: String, pricingCategory: String?,
                                 commitment: [UInt8] = SampleGenerator.noCommitment, service: String?, serviceCategory: String?,
                                 resourceId: String? = nil, resourceType: String? = nil, sku: String?, start: Int, end: Int,
                                 money: Money, pricingUnit: String? = nil, team: Int? = nil) throws {
            let a = SampleGenerator.accounts[account]
            let skuPrice = sku.map { $0 + ".JRTCKXETXF." + SampleGenerator.skuText(p.gen.h($0), 10) }
            let tail = encodeCells([pricingUnit, "AWS", "Amazon Web Services, Inc.", nil, nil, resourceId, nil, resourceType, serviceCategory,
                                    service, sku, skuPrice, a.id, a.name, nil, nil])
            let period = Period(billingStart: self.period.billingStart, billingEnd: self.period.billingEnd,
                                chargeStart: SampleGenerator.dateCell(p.firstDay + start, plain: style.plainDates),
                                chargeEnd: SampleGenerator.dateCell(p.firstDay + end, plain: style.plainDates))
            let cells = Cells(az: nullCell, category: encodeCells([category]), chargeClass: nullCell, description: encodeCells([description]),
                              frequency: encodeCells([frequency]), commitment: commitment, unit: nullCell,
                              pricingCategory: encodeCells([pricingCategory]), tail: tail)
            emit(cells, money, period)
            record(team, account, money)
        }

        mutating func monthEnd() throws {
            bucket = p.series.count
            let start = p.monthStart[m], end = p.monthStart[m + 1]
            // Savings Plan: the monthly recurring fee (amortised into the covered usage rows).
            if let sp = p.spStart, sp < end {
                let active = end - max(sp, start)
                var money = Money(billed: p.spDaily * Int64(active), contracted: p.spDaily * Int64(active), effective: 0,
                                  list: p.spDaily * Int64(active))
                money.pricing = Int64(active) * 24_000_000
                money.contractedUnit = p.spHourly
                money.listUnit = p.spHourly
                try accountRow(account: SampleGenerator.prodCore, category: "Purchase",
                               description: "Savings Plan recurring fee: $\(SampleGenerator.decimalText(p.spHourly)) per hour",
                               frequency: "Recurring", pricingCategory: "Committed",
                               commitment: encodeCells(["Spend", SampleGenerator.spArn, SampleGenerator.spName, nil, "Compute Savings Plan"]),
                               service: SampleGenerator.spService, serviceCategory: "Compute", resourceId: SampleGenerator.spArn,
                               resourceType: "Savings Plan", sku: "7VBRWEWYFC4BDBJQ", start: max(sp, start), end: end, money: money,
                               pricingUnit: "Hrs")
            }
            // The all-upfront reserved instance (billed once, amortised over a year of usage rows).
            if let s = p.riSeries, p.riStart >= start && p.riStart < end {
                var money = Money(billed: p.riUpfront, contracted: p.riUpfront, effective: 0, list: p.riUpfront)
                money.pricing = 1_000_000
                let r = p.series[s].slots[0][0]
                try accountRow(account: p.teams[p.series[s].team].account, category: "Purchase",
                               description: "Reserved instance: \(r.typeName) Multi-AZ PostgreSQL, 1 year, All Upfront", frequency: "One-Time",
                               pricingCategory: "Committed", commitment: encodeCells(["Usage", riId,
                                                                                      "\(r.typeName) 1 year All Upfront", nil, "Reserved Instance"]),
                               service: "Amazon RDS", serviceCategory: "Databases", resourceType: "Reserved Instance",
                               sku: SampleGenerator.skuText(p.gen.h("ri"), 16), start: p.riStart, end: p.riStart + 1, money: money,
                               pricingUnit: "Units", team: p.series[s].team)
            }
            // Credits: a GenAI accelerator programme for ml-training; a promotional credit in the sandbox.
            if (8...13).contains(m), let s = p.seriesIndex("ml-training", .sagemaker) {
                try resourceRow(p.series[s].slots[0][0], category: "Credit", chargeClass: nil, description: "AWS Generative AI Accelerator credit",
                                frequency: "One-Time", pricingCategory: "Other", start: start, end: end, amount: -SampleGenerator.units(1500))
            }
            if m == 3, let s = p.seriesIndex("sandbox", .ec2) {
                try resourceRow(p.series[s].slots[0][0], category: "Credit", chargeClass: nil, description: "AWS Promotional Credit (Activate)",
                                frequency: "One-Time", pricingCategory: "Other", start: start, end: end, amount: -SampleGenerator.units(2000))
            }
            // A refund for the August request storm, two months later.
            if m == 9, acc.mediaExcess > 0, let s = p.seriesIndex("media", .s3) {
                let amount = -SampleGenerator.units((acc.mediaExcess * 0.9 * 100).rounded() / 100)
                try resourceRow(p.series[s].slots[0][0], category: "Adjustment", chargeClass: nil,
                                description: "Refund: S3 request charges during the sync-job incident (case 11834702291)",
                                frequency: "One-Time", pricingCategory: "Other", start: start + 13, end: start + 14, amount: amount)
            }
            // Corrections of earlier billing periods (ChargePeriod in the earlier month).
            for (at, of, team, svc, share) in [(5, 2, "web-frontend", Svc.cloudfront, -0.06), (14, 11, "identity", Svc.dynamodb, 0.04),
                                                (20, 16, "notifications", Svc.lambda, -0.03)] where at == m {
                guard let s = p.seriesIndex(team, svc) else { continue }
                let amount = SampleGenerator.units((p.expectedMonth(s, of) * share * 100).rounded() / 100)
                let (y, mo) = p.monthYM[of]
                try resourceRow(p.series[s].slots[0][0], category: "Usage", chargeClass: "Correction",
                                description: "Correction: re-rated \(svc.name) usage for \(y)-\(SampleGenerator.pad2(mo))",
                                frequency: "Usage-Based", pricingCategory: "Standard", start: p.monthStart[of], end: p.monthStart[of + 1], amount: amount)
            }
            // Tax on every account's billed charges.
            for a in SampleGenerator.accounts.indices where accountBilled[a] > 0 && a != SampleGenerator.managementAcct {
                let cent: Int64 = 100_000_000
                let tax = (accountBilled[a] * 8 / 1000 + cent / 2) / cent * cent   // 0.8 %, to the cent
                try accountRow(account: a, category: "Tax", description: "US sales tax", frequency: "Recurring", pricingCategory: nil,
                               service: nil, serviceCategory: nil, sku: nil, start: start, end: end, money: .all(tax))
            }
            // AWS Support (Business): 10 % of the first $10k, 7 % to $80k, 5 % to $250k, 3 % above.
            let billed = Double(monthBilled) / 1e10
            var fee = 0.0, rest = billed, lower = 0.0
            for (upper, rate) in [(10_000.0, 0.10), (80_000.0, 0.07), (250_000.0, 0.05), (Double.infinity, 0.03)] {
                let part = min(rest, upper - lower)
                if part <= 0 { break }
                fee += part * rate; rest -= part; lower = upper
            }
            fee = max(100, (fee * 100).rounded() / 100)
            var money = Money.all(SampleGenerator.units(fee))
            money.pricing = 1_000_000
            try accountRow(account: SampleGenerator.managementAcct, category: "Usage", description: "AWS Support (Business) monthly fee",
                           frequency: "Recurring", pricingCategory: "Standard", service: Svc.support.name, serviceCategory: Svc.support.category,
                           sku: "BUSINESSSUPPORT1", start: start, end: end, money: money, pricingUnit: "Months")
        }
    }

    func writeFocusMonth(_ p: Plan, month m: Int, path: String, acc: inout Accumulators) throws {
        let file = try GzFile(path: path)
        let scratch = ByteSink(capacity: 1 << 16) { _, _ in }
        var w = MonthWriter(p, m, scratch, acc)
        for d in p.monthStart[m]..<p.monthStart[m + 1] { try w.day(d) }
        try w.monthEnd()
        var header = Self.header
        try header.withUnsafeMutableBufferPointer { try file.write($0.baseAddress!, $0.count) }
        for var b in w.buckets where !b.isEmpty {
            try b.withUnsafeMutableBufferPointer { try file.write($0.baseAddress!, $0.count) }
        }
        try file.close()
        acc = w.acc
    }
}

// MARK: - Benchmark file

extension SampleGenerator {
    /// Benchmark mode: writes exactly `rows` FOCUS data rows (plus the header) of the sample's shape
    /// into one plain CSV at `path`, streaming through a fixed 4 MB buffer. Rows are spread evenly
    /// over the sample's days and cycle through every resource active that day; each row's charge
    /// period is a block of hours (24 / rows-per-resource-per-day, at least one hour).
    public func writeFOCUS(rows: Int, to path: String) throws {
        let p = Plan(self)
        guard let f = fopen(path, "wb") else {
            throw CostDefenderError.io(path: path, message: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        var closed = false
        defer { if !closed { fclose(f) } }
        let sink = ByteSink(capacity: 1 << 22) { ptr, n in
            if fwrite(ptr, 1, n, f) != n {
                throw CostDefenderError.io(path: path, message: "write failed: \(String(cString: strerror(errno)))")
            }
        }
        sink.put(Self.header)

        struct BenchRes { var res: Res; var series: Int; var gen: Int; var daily: Double; var sp: Bool; var spot: Bool }
        var bench: [BenchRes] = []
        for s in p.series.indices {
            let se = p.series[s]
            switch se.kind {
            case .instances, .databases:
                let n = se.kind == .databases ? 2 : 3
                for g in se.slots.indices { for k in 0..<n { bench.append(BenchRes(res: se.slots[g][k], series: s, gen: g, daily: 1.0 / Double(n), sp: se.spEligible, spot: se.spot)) } }
            case .clusters(let n):
                for k in 0..<n { bench.append(BenchRes(res: se.slots[0][k], series: s, gen: 0, daily: 1.0 / Double(n), sp: false, spot: false)) }
            case .nodes, .usage:
                for (j, share) in se.shares.enumerated() { bench.append(BenchRes(res: se.slots[0][j], series: s, gen: 0, daily: share, sp: false, spot: false)) }
            }
        }
        let days = p.days
        let usage = Self.encodeCells(["Usage"]), null = Self.encodeCells([nil])
        let standard = Self.encodeCells(["Standard"]), committed = Self.encodeCells(["Committed"]), dynamic = Self.encodeCells(["Dynamic"])
        var style = MonthStyle(0)
        var spUsed: [UInt8] = []
        var hourCells: [[UInt8]] = []
        var period = Period(billingStart: [], billingEnd: [], chargeStart: [], chargeEnd: [])
        var active: [Int] = []
        var dayFactor = [Double](repeating: 0, count: p.series.count)
        var currentDay = -1, currentMonth = -1
        var dayFirstRow = 0, dayRows = 1, block = 1
        var rng = SplitMix64(state: h("bench"))
        var cells = Cells(az: [], category: usage, chargeClass: null, description: [], frequency: [], commitment: Self.noCommitment,
                          unit: [], pricingCategory: standard, tail: [])
        var money = Money.all(0)
        for i in 0..<max(0, rows) {
            let d = days > 0 ? i * days / rows : 0
            if d != currentDay {
                currentDay = d
                dayFirstRow = i
                dayRows = max(1, ((d + 1) * rows + days - 1) / days - i)
                let m = p.dayMonth[d]
                if m != currentMonth {
                    currentMonth = m
                    style = MonthStyle(m)
                    period.billingStart = Self.dateCell(p.firstDay + p.monthStart[m], plain: style.plainDates)
                    period.billingEnd = Self.dateCell(p.firstDay + p.monthStart[m + 1], plain: style.plainDates)
                    spUsed = Self.encodeCells(["Spend", Self.spArn, Self.spName, style.used, "Compute Savings Plan"])
                }
                hourCells = (0...24).map { Self.dateCell(p.firstDay + d + $0 / 24, hour: $0 % 24, plain: style.plainDates) }
                for s in p.series.indices {
                    let se = p.series[s]
                    dayFactor[s] = p.expected(s, d) / se.base
                }
                active.removeAll(keepingCapacity: true)
                for (b, x) in bench.enumerated() where dayFactor[x.series] > 0 {
                    let se = p.series[x.series]
                    let g = (se.switchDay.map { d >= $0 } ?? false) ? 1 : 0
                    if x.gen != g { continue }
                    active.append(b)
                }
                if active.isEmpty { active = Array(bench.indices) }
                // Each resource gets ~dayRows/active rows a day; each row covers a block of hours.
                let perResource = max(1, (dayRows + active.count - 1) / active.count)
                block = max(1, 24 / perResource)
            }
            let j = i - dayFirstRow
            let a = active.count
            let b = bench[active[j % a]]
            let hour = ((j / a) * block) % 24
            let scale = Double(a) / Double(dayRows)
            let se = p.series[b.series]
            let x = se.base * b.daily * dayFactor[b.series] * scale * (0.92 + 0.16 * rng.unit())
            var q = Int64(x / b.res.priceDouble * 1e6 / Double(b.res.grain)) * b.res.grain
            if q <= 0 { q = b.res.grain }
            let list = Self.cost(q, b.res.price)
            money.billed = list; money.contracted = list; money.effective = list; money.list = list
            money.consumed = q; money.pricing = q; money.contractedUnit = b.res.price; money.listUnit = b.res.price
            cells.az = b.res.encAZ
            cells.description = b.res.encDescription
            cells.frequency = style.frequency
            cells.commitment = Self.noCommitment
            cells.unit = b.res.encUnit
            cells.pricingCategory = standard
            cells.tail = b.res.encTail[d >= b.res.fixDay ? 1 : 0]
            if b.sp, let sp = p.spStart, d >= sp, hour % 3 == 0 {
                money.billed = 0
                money.effective = Self.cost(q, b.res.spRate)
                cells.pricingCategory = committed
                cells.commitment = spUsed
                cells.description = b.res.encCommittedDescription
            } else if b.spot {
                money.billed = list * 34 / 100
                money.effective = money.billed
                cells.pricingCategory = dynamic
            }
            period.chargeStart = hourCells[hour]
            period.chargeEnd = hourCells[min(24, hour + block)]
            try sink.reserveRow()
            Self.writeRow(sink, cells, money, period, e: style.eNotation)
        }
        try sink.flush()
        closed = true
        if fclose(f) != 0 {
            throw CostDefenderError.io(path: path, message: "close failed: \(String(cString: strerror(errno)))")
        }
    }
}
