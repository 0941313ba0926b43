/// Turns scalar offsets into 1-based lines and columns.
struct TemplateSourceLocator: Sendable {
    private let lineStarts: [Int]

    init(_ scalars: [Unicode.Scalar]) {
        var starts = [0]
        for (offset, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(offset + 1) }
        lineStarts = starts
    }

    func position(of offset: Int) -> TemplatePosition {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return TemplatePosition(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    func offset(of position: TemplatePosition) -> Int {
        lineStarts[position.line - 1] + position.column - 1
    }
}
