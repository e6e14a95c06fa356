import Testing
@testable import CostDefender

@Suite struct AmountTests {
    func value(_ s: String) -> Amount? {
        if case .value(let a, _) = Amount.parse(s) { return a }
        return nil
    }

    @Test func parsesPlainAndENotation() {
        #expect(value("12.5")?.exactDescription == "12.5")
        #expect(value("-0.00000080000")?.exactDescription == "-0.0000008")
        #expect(value("1.2E-5")?.exactDescription == "0.000012")
        #expect(value("4e3")?.exactDescription == "4000")
        #expect(value("+3")?.exactDescription == "3")
        #expect(value(".5")?.exactDescription == "0.5")
        #expect(value("-0")?.exactDescription == "0")
        #expect(value("0.000000000000001")?.units == 1)
    }

    @Test func rejectsWhatIsNotANumber() {
        for bad in ["", "NaN", "Infinity", "1,000", "1e309", "12abc", "1e", "--1", "1.2.3", "."] {
            #expect(value(bad) == nil, "\(bad) should not parse")
        }
    }

    /// The fast path for plain decimals agrees with the general parser on every form near its
    /// limits (19 digits, 15 decimals, signs, leading points and zeros), and declines the rest.
    @Test func plainFastPathAgreesWithTheGeneralParser() {
        var random = SplitMix64(state: 42)
        let alphabet = Array("0123456789")
        for _ in 0..<20_000 {
            let intDigits = Int(random.next() % 21), fracDigits = Int(random.next() % 18)
            var text = ["", "-", "+"][Int(random.next() % 3)]
            text += String((0..<intDigits).map { _ in alphabet[Int(random.next() % 10)] })
            if random.next() % 4 != 0 { text += "." + String((0..<fracDigits).map { _ in alphabet[Int(random.next() % 10)] }) }
            var bytes = Array(text.utf8)
            // Now and then a byte just outside the digits ("/" and ":" border them), which the
            // eight-digits-at-once step must notice wherever it falls.
            if random.next() % 8 == 0 && !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] = Array("/: e.x".utf8)[Int(random.next() % 6)]
                let general = bytes.withUnsafeBytes { Amount.parseGeneral($0) }
                if let plain = bytes.withUnsafeBytes({ Amount.parsePlain($0) }) {
                    #expect(general == .value(plain, rounded: false), "\(String(decoding: bytes, as: UTF8.self))")
                }
                continue
            }
            let general = bytes.withUnsafeBytes { Amount.parseGeneral($0) }
            if let plain = bytes.withUnsafeBytes({ Amount.parsePlain($0) }) {
                #expect(general == .value(plain, rounded: false), "\(text)")
            } else {
                // Declined only beyond 19 digits, 15 decimals, or without a digit.
                let digits = bytes.filter { $0 >= 48 && $0 <= 57 }.count
                let decimals = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
                #expect(digits == 0 || digits > 19 || decimals > 15, "\(text)")
            }
        }
    }

    @Test func roundsBeyondFifteenDecimalsAndSaysSo() {
        #expect(Amount.parse("0.0000000000000015") == .value(Amount(units: 2), rounded: true))
        #expect(Amount.parse("0.0000000000000025") == .value(Amount(units: 2), rounded: true))
        #expect(Amount.parse("0.000000000000002") == .value(Amount(units: 2), rounded: false))
    }

    @Test func sumsAreExact() {
        // 0.1 + 0.2 is exactly 0.3 here, unlike binary floating point.
        #expect(value("0.1")! + value("0.2")! == value("0.3")!)
        var total = Amount.zero
        for _ in 0..<1000 { total += value("0.001")! }
        #expect(total == Amount(whole: 1))
    }

    @Test func formatsToCents() {
        #expect(value("1234.565")!.plainText() == "1234.57")
        #expect(value("-1234.565")!.plainText() == "-1234.57")
        #expect(value("-0.004")!.plainText() == "0.00")
        let f = Formatter(currency: "USD")
        #expect(f.money(value("1234567.891")!) == "$1,234,567.89")
        #expect(f.money(value("-12")!) == "-$12.00")
        #expect(f.signedMoney(value("5")!) == "+$5.00")
        #expect(Formatter(currency: "CHF").money(value("1000")!) == "CHF 1,000.00")
        #expect(f.percent(0.1234) == "12.3%")
        #expect(f.percent(nil) == "—")
    }

    @Test func multipliesByARateWithHalfEvenRounding() {
        #expect(value("100")!.multiplied(by: value("1.1")!) == value("110")!)
        #expect(value("0.000000000000001")!.multiplied(by: value("0.5")!) == Amount.zero)
        #expect(value("0.000000000000003")!.multiplied(by: value("0.5")!) == Amount(units: 2))
    }

    /// `doubleValue` goes through Int64 where the whole part fits; it must give the value of the
    /// plain Int128 conversion, bit for bit, on both sides of the 64-bit edge.
    @Test func doubleValueIsTheInt128ConversionBitForBit() {
        var rng = SplitMix64(state: 99)
        let edge = Int128(Int64.max) * Amount.unit
        var units: [Int128] = [0, 1, -1, Amount.unit - 1, edge - 1, edge, edge + Amount.unit, -edge - Amount.unit, Amount.maximumTotal.units, .max, .min + 1]
        for _ in 0..<20_000 {
            let bits = Int(rng.next() % 127)
            let magnitude = Int128(truncatingIfNeeded: UInt128(rng.next()) << 64 | UInt128(rng.next())) & ((Int128(1) << bits) - 1)
            units.append(rng.next() % 2 == 0 ? magnitude : -magnitude)
        }
        for u in units {
            let plain = Double(u / Amount.unit) + Double(u % Amount.unit) / 1e15
            #expect(Amount(units: u).doubleValue.bitPattern == plain.bitPattern, "\(u)")
        }
    }
}
