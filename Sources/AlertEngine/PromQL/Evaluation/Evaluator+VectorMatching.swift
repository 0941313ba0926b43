import MetricStore

extension Evaluator {
    /// Arithmetic and comparison between two vectors: one-to-one, or many-to-one /
    /// one-to-many with group_left / group_right. Signatures and result labels are worked
    /// out once per series (pair); only values are computed per step.
    func matchVectors(
        _ binary: BinaryExpr, _ lhs: StepVector, _ rhs: StepVector, matching: VectorMatching
    ) throws(PromQLEvaluationError) -> StepVector {
        let oneToMany = matching.cardinality == .oneToMany
        // The "many" side is walked; each of its series meets at most one series of the
        // "one" side per step.
        let many = oneToMany ? rhs : lhs
        let one = oneToMany ? lhs : rhs
        let (ordinals, signatures) = MatchSignature.ordinals([many.labels, one.labels], MatchSignature(matching))
        let manyOrdinals = ordinals[0]
        var oneBySignature = [[Int]](repeating: [], count: signatures.count)
        for series in 0..<one.seriesCount { oneBySignature[ordinals[1][series]].append(series) }

        var manyCountBySignature = [Int](repeating: 0, count: signatures.count)
        for signature in manyOrdinals { manyCountBySignature[signature] += 1 }
        let anyOneSideRepeats = oneBySignature.contains { $0.count > 1 }
        if anyOneSideRepeats {
            try checkOneSideUnique(one, oneBySignature, signatures, manyPresent: many.anyPresentPerStep(), side: oneToMany ? "left" : "right")
        }
        if matching.cardinality == .oneToOne && manyCountBySignature.contains(where: { $0 > 1 }) {
            try checkManySideUnique(many, manyOrdinals, signatures.count, oneBySignature: oneBySignature, one: one)
        }
        // Two pairs of one match group can only meet in one output series when a group has
        // several series on a side; only then is it worth tracking who wrote each slot.
        let tracksProducers = anyOneSideRepeats || (matching.cardinality != .oneToOne && manyCountBySignature.contains { $0 > 1 })

        let op = binary.op
        let returnBool = binary.returnBool
        let stepCount = steps.count
        var output = StepVector(stepCount: stepCount)
        output.reserveCapacity(series: many.seriesCount)
        var outputByLabels: [Labels: Int] = [:]
        // Which signature produced each output slot, to tell a group_left clash within one
        // match group from two groups that happen to yield the same labels.
        var producer: [Int32] = []
        for manySeries in 0..<many.seriesCount {
            let signature = manyOrdinals[manySeries]
            let manyBase = many.index(manySeries, 0)
            for oneSeries in oneBySignature[signature] {
                let oneBase = one.index(oneSeries, 0)
                var row = -1
                for step in 0..<stepCount where many.present[manyBase + step] && one.present[oneBase + step] {
                    if row < 0 {
                        let labels = resultLabels(many.labels[manySeries], one.labels[oneSeries], binary, matching)
                        if let existing = outputByLabels[labels] {
                            row = existing
                        } else {
                            row = output.appendEmptySeries(labels)
                            outputByLabels[labels] = row
                            if tracksProducers { producer.append(contentsOf: repeatElement(-1, count: stepCount)) }
                        }
                    }
                    let slot = output.index(row, step)
                    if tracksProducers {
                        if producer[slot] == Int32(signature) { throw .groupingNotUnique }
                        producer[slot] = Int32(signature)
                    }
                    let manyValue = many.values[manyBase + step]
                    let oneValue = one.values[oneBase + step]
                    var (value, keep) = oneToMany ? op.apply(oneValue, manyValue) : op.apply(manyValue, oneValue)
                    if returnBool {
                        value = keep ? 1 : 0
                        keep = true
                    }
                    guard keep else { continue }
                    if output.present[slot] { throw .duplicateLabelset }
                    output.present[slot] = true
                    output.values[slot] = value
                }
            }
        }
        return output.removingEmptySeries()
    }

    /// The labels of a match's result: the "many" side's, without the metric name after
    /// arithmetic or `bool`; one-to-one keeps only the `on` labels or drops the `ignoring`
    /// ones; group_x(...) labels are copied from the "one" side (or removed if it lacks them).
    private func resultLabels(_ many: Labels, _ one: Labels, _ binary: BinaryExpr, _ matching: VectorMatching) -> Labels {
        var pairs = many.pairs
        if binary.op.dropsMetricName || binary.returnBool { pairs.removeAll { $0.name == Label.metricName } }
        if matching.cardinality == .oneToOne {
            let names = Set(matching.labels)
            pairs.removeAll { names.contains($0.name) != matching.on }
        }
        guard !matching.include.isEmpty else { return Labels(sortedUnique: pairs) }
        let included = Set(matching.include)
        pairs.removeAll { included.contains($0.name) }
        for name in matching.include {
            if let value = one[name] { pairs.append(Label(name, value)) }
        }
        return Labels(pairs)
    }

    /// Two series of the "one" side in a match group at a step where the other side has
    /// anything: Prometheus refuses that as many-to-many.
    private func checkOneSideUnique(
        _ one: StepVector, _ oneBySignature: [[Int]], _ signatures: [Labels], manyPresent: [Bool], side: String
    ) throws(PromQLEvaluationError) {
        for signature in oneBySignature.indices where oneBySignature[signature].count > 1 {
            for step in 0..<steps.count where manyPresent[step] {
                var first: Int?
                for series in oneBySignature[signature] where one.present[one.index(series, step)] {
                    guard let earlier = first else {
                        first = series
                        continue
                    }
                    throw .duplicateMatchGroup(
                        group: signatures[signature].prometheusText, side: side,
                        series: one.labels[series].prometheusText, otherSeries: one.labels[earlier].prometheusText)
                }
            }
        }
    }

    /// One-to-one matching with two left series in a match group that finds a partner.
    private func checkManySideUnique(
        _ many: StepVector, _ manyOrdinals: [Int], _ signatureCount: Int, oneBySignature: [[Int]], one: StepVector
    ) throws(PromQLEvaluationError) {
        var manyBySignature = [[Int]](repeating: [], count: signatureCount)
        for series in 0..<many.seriesCount { manyBySignature[manyOrdinals[series]].append(series) }
        for signature in manyBySignature.indices where manyBySignature[signature].count > 1 && !oneBySignature[signature].isEmpty {
            for step in 0..<steps.count {
                let partnered = oneBySignature[signature].contains { one.present[one.index($0, step)] }
                guard partnered else { continue }
                let present = manyBySignature[signature].lazy.filter { many.present[many.index($0, step)] }.count
                if present > 1 { throw .manyToOneNotExplicit }
            }
        }
    }
}
