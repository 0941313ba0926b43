/// The two formats `/metrics` speaks. Prometheus asks for OpenMetrics first in its `Accept`
/// header and falls back to the text format, so we answer with whichever the client prefers.
public enum ExpositionFormat: Sendable, Hashable, CaseIterable {
    /// Prometheus text format 0.0.4.
    case text
    /// OpenMetrics 1.0.0 text.
    case openMetrics

    public var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format from an `Accept` header: OpenMetrics when it is listed with a q-value
    /// at least as high as any text/plain entry, as client_golang's negotiation does.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .text }
        var openMetricsQuality = -1.0
        var textQuality = -1.0
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingSpaces() }
            guard let mediaType = parts.first?.lowercased() else { continue }
            var quality = 1.0
            var version: Substring?
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                guard pair.count == 2 else { continue }
                if pair[0] == "q" { quality = Double(pair[1]) ?? 0 }
                if pair[0] == "version" { version = pair[1] }
            }
            if mediaType == "application/openmetrics-text" {
                // We only speak 1.0.0; an explicit request for another version is not for us.
                if version == nil || version!.hasPrefix("1.0") || version!.hasPrefix("0.0.1") {
                    openMetricsQuality = max(openMetricsQuality, quality)
                }
            } else if mediaType == "text/plain" || mediaType == "*/*" || mediaType == "text/*" {
                textQuality = max(textQuality, quality)
            }
        }
        return openMetricsQuality > 0 && openMetricsQuality >= textQuality ? .openMetrics : .text
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
