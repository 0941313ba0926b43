/// A bcrypt hash as `htpasswd -B` and the toolkit's users write it:
///
///     $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG
///     │ │  │  └ 22 characters of salt, then 31 of hash, in bcrypt's base64 (./A-Za-z0-9)
///     │ │  └ cost: log2 of the rounds, two digits, 04…18 here (bcrypt allows 31)
///     │ └ minor version: a, b or y
///     └ major version 2
///
/// `$2y$` (PHP's and htpasswd's name) and `$2b$` (OpenBSD's) are the same algorithm; the
/// bcrypt we link (HummingbirdBcrypt, OpenBSD's code) knows only `a` and `b`, so a `y` hash is
/// verified under its `b` spelling. `$2x$` (a buggy historical variant) is refused, as Go's
/// bcrypt, the toolkit's, cannot verify it correctly either.
///
/// Costs above 18 are refused, where Go's bcrypt takes up to 31: each step doubles the time,
/// 18 already costs seconds per new password, and at 31 one login would occupy the bcrypt
/// thread for days, every other login waiting behind it.
public struct BcryptHash: Sendable, Hashable, CustomStringConvertible {
    /// As written in the file.
    public let text: String
    public let cost: Int
    /// What bcrypt is given: `text` with `$2y$` spelled `$2b$`.
    let verifiable: String

    static let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    static let costs = 4...18

    /// Nil, with the reason, for anything that is not a bcrypt hash.
    public static func parse(_ text: String) -> Result<BcryptHash, BcryptHashProblem> {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"), bytes[3] == UInt8(ascii: "$"),
            bytes[6] == UInt8(ascii: "$")
        else { return .failure(.notBcrypt) }
        guard [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]) else {
            return .failure(.unsupportedVersion(String(decoding: bytes[0..<3], as: UTF8.self)))
        }
        guard let cost = Int(String(decoding: bytes[4..<6], as: UTF8.self)), costs.contains(cost) else {
            return .failure(.cost(String(decoding: bytes[4..<6], as: UTF8.self)))
        }
        guard bytes[7...].allSatisfy({ alphabet.contains($0) }) else { return .failure(.notBcrypt) }
        let verifiable = bytes[2] == UInt8(ascii: "y") ? "$2b" + text.dropFirst(3) : text
        return .success(BcryptHash(text: text, cost: cost, verifiable: verifiable))
    }

    /// The hash is a secret's digest; logs and errors never show it.
    public var description: String { "bcrypt hash (cost \(cost))" }
}

public enum BcryptHashProblem: Error, Equatable, CustomStringConvertible {
    case notBcrypt
    case unsupportedVersion(String)
    case cost(String)

    public var description: String {
        switch self {
        case .notBcrypt: "not a bcrypt hash (expected 60 characters such as $2y$10$ followed by 53 of salt and hash)"
        case .unsupportedVersion(let prefix): "bcrypt version \(prefix)$ is not supported (use $2y$, $2b$ or $2a$)"
        case .cost(let cost): "bcrypt cost \(cost) is out of range (04 to 18; each step doubles the time of a login)"
        }
    }
}
