extension RuleGroupState {
    /// The state for a reloaded definition of this group: each rule that is still there with
    /// the same kind, name and expression keeps its alerts and its last output series; new or
    /// changed rules start fresh.
    public func carryingOver(to group: CompiledRuleGroup) -> RuleGroupState {
        var next = RuleGroupState(group: group, restored: isRestored)
        for (newIndex, rule) in group.rules.enumerated() {
            guard let oldIndex = self.group.rules.firstIndex(where: {
                $0.kind == rule.kind && $0.name == rule.name && $0.rule.expr.text == rule.rule.expr.text
            }) else { continue }
            next.inherit(ruleAt: newIndex, from: self, ruleAt: oldIndex)
        }
        return next
    }
}
