extension AnomalyDetector {
    /// `anomalies.json`, for systems that route alerts: the method and its thresholds, then every
    /// anomaly (largest |impact| first) with its team, owner, contact, days, expected, actual and
    /// impact (exact decimals), root causes and matching notes. `max_z` is null when a day's
    /// baseline had MAD = 0 (a flat history, where only the dollar floor applies).
    public func json(currency: String? = nil) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        let method: [String: JSONValue] = [
            "series": .string("team x service, daily \(basis.rawValue) cost"),
            "baseline": .string("median and MAD of the same weekday over the previous weeks, or of the previous days when too few"),
            "score": .string("modified z = 0.6745 * (actual - median) / MAD"),
            "weeks": .int(settings.weeks),
            "minimum_weekday_points": .int(settings.minimumWeekdayPoints),
            "fallback_days": .int(settings.fallbackDays),
            "minimum_history_days": .int(settings.minimumFallbackPoints),
            "threshold": .double(settings.threshold),
            "floor_per_day": .money(settings.floor),
            "excluded": .string("one-time charges: purchases, credits, refunds, corrections and ChargeFrequency One-Time"
                                + (settings.excludeRecurring ? "; ChargeFrequency Recurring (fees billed once for a period)" : "")),
        ]
        return .object([
            "from": .string(window.lowerBound.description),
            "to": .string(window.upperBound.description),
            "judged_through": judged.map { .string($0.upperBound.description) } ?? .null,
            "cost_basis": .string(basis.rawValue),
            "currency": text(currency),
            "method": .object(method),
            "series": .int(seriesCount),
            "count": .int(anomalies.count),
            "increase": .money(increase),
            "decrease": .money(decrease),
            "anomalies": .array(anomalies.map { a in
                .object([
                    "team": .string(a.team),
                    "service": .string(a.service),
                    "owner": text(a.owner),
                    "contact": text(a.contact),
                    "first_day": .string(a.firstDay.description),
                    "last_day": .string(a.lastDay.description),
                    "days": .int(a.dayCount),
                    "direction": .string(a.isIncrease ? "increase" : "decrease"),
                    "expected": .money(a.expected),
                    "actual": .money(a.actual),
                    "impact": .money(a.impact),
                    "max_z": .double(a.maxZ),
                    "accounts": .array(a.accounts.map { .string($0) }),
                    "resources_available": .bool(a.resourcesAvailable),
                    "root_causes": .array(a.rootCauses.map { c in
                        .object([
                            "dimension": .string(c.dimension.rawValue),
                            "value": .string(c.value),
                            "label": .string(c.label),
                            "actual": .money(c.actual),
                            "expected": .money(c.expected),
                            "impact": .money(c.impact),
                            "share": .double(c.share),
                        ])
                    }),
                    "notes": .array(a.notes.map { n in
                        .object([
                            "from": .string(n.days.lowerBound.description),
                            "to": .string(n.days.upperBound.description),
                            "scope": .string(n.scopeText),
                            "text": .string(n.text),
                        ])
                    }),
                ])
            }),
        ])
    }
}
