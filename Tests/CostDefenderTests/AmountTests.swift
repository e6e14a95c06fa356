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
}
