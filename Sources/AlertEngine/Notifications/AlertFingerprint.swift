import MetricStore

/// Alertmanager's fingerprint of a label set (Prometheus' `model.LabelSet.Fingerprint`):
/// 64-bit FNV-1a over each label's name and value in name order, each followed by the byte
/// 0xff. Receivers use it to tell alerts apart, so it must match Alertmanager's bit for bit.
public struct AlertFingerprint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt64

    public init(_ labels: Labels) {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        for label in labels.pairs {
            for byte in label.name.utf8 { add(byte) }
            add(0xff)
            for byte in label.value.utf8 { add(byte) }
            add(0xff)
        }
        value = hash
    }

    public init(value: UInt64) {
        self.value = value
    }

    /// Sixteen lower-case hex digits, as Alertmanager prints it.
    public var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public init?(hex: String) {
        guard hex.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        self.value = value
    }

    public static func < (lhs: AlertFingerprint, rhs: AlertFingerprint) -> Bool { lhs.value < rhs.value }
}
