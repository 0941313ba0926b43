/// The index's sections in file order; the raw value is the slot in the TOC.
enum IndexSection: Int, CaseIterable, CustomStringConvertible {
    case symbols = 0
    case series = 1
    case postings = 2
    case postingsOffsetTable = 3

    var description: String {
        switch self {
        case .symbols: "symbol table"
        case .series: "series"
        case .postings: "postings"
        case .postingsOffsetTable: "postings offset table"
        }
    }
}
