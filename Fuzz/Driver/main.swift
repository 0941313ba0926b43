import CLibFuzzer
#if canImport(Glibc)
import Glibc
#endif

// scalewatch-fuzz: every libFuzzer target of scalewatch in one executable, which builds once.
//
//   scalewatch-fuzz list                     the targets' names
//   scalewatch-fuzz seeds NAME DIR           writes the seeds NAME makes with the store's writers
//   scalewatch-fuzz show NAME FILE           what an input means to NAME (the evaluator's query)
//   scalewatch-fuzz NAME [libFuzzer flags] [corpus dirs]
//   FUZZ_TARGET=NAME scalewatch-fuzz [libFuzzer flags] [corpus dirs]
//
// See docs/fuzzing.md.

func fail(_ message: String) -> Never {
    let line = "scalewatch-fuzz: \(message)\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

var arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "list":
    print(FuzzTargets.all.map(\.name).joined(separator: "\n"))
    exit(0)
case "seeds":
    guard arguments.count == 4, let target = FuzzTargets.named(arguments[2]) else {
        fail("usage: scalewatch-fuzz seeds NAME DIR")
    }
    do {
        for (number, seed) in try target.generatedSeeds().enumerated() {
            let path = "\(arguments[3])/generated-\(number)"
            guard let file = fopen(path, "wb") else { fail("cannot create \(path)") }
            _ = seed.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
    } catch {
        fail("seeds for \(target.name): \(error)")
    }
    exit(0)
case "show":
    guard arguments.count == 4, let target = FuzzTargets.named(arguments[2]) else {
        fail("usage: scalewatch-fuzz show NAME FILE")
    }
    guard let file = fopen(arguments[3], "rb") else { fail("cannot open \(arguments[3])") }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    fclose(file)
    print(target.describe(bytes) ?? String(decoding: bytes, as: UTF8.self))
    exit(0)
case let first? where FuzzTargets.named(first) != nil:
    setenv("FUZZ_TARGET", first, 1)
    arguments.remove(at: 1)
default:
    guard let value = getenv("FUZZ_TARGET"), FuzzTargets.named(String(cString: value)) != nil else {
        fail("name a target (first argument or FUZZ_TARGET): \(FuzzTargets.all.map(\.name).joined(separator: ", "))")
    }
}

var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
var argumentCount = CInt(arguments.count)
let status = cArguments.withUnsafeMutableBufferPointer { buffer in
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argumentCount, &argv) { fuzzOneInput($0, $1) }
}
exit(status)
