import Testing

@testable import ScaleAgent

/// v2 io.stat and v1 blkio counter files, on strings.
@Suite struct CgroupIOParsingTests {
    typealias Bad = CgroupParsingTests.Bad

    @Test func ioStatSumsTheDevicesAndSkipsOtherKeys() throws {
        let text = """
            254:0 rbytes=1048576 wbytes=2097152 rios=10 wios=20 dbytes=0 dios=0
            259:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0 cost.vrate=100.00 cost.usage=12 avg_lat=-
            """
        #expect(
            try CgroupParsing.ioStat(text, file: "io.stat")
                == .init(readBytes: 1_052_672, writtenBytes: 2_105_344, reads: 11, writes: 22))
        // A group that has done no IO yet lists no device.
        #expect(try CgroupParsing.ioStat("", file: "io.stat") == .init())
        #expect(try CgroupParsing.ioStat("8:0 wios=0 rios=0 wbytes=0 rbytes=18446744073709551615\n", file: "io.stat").readBytes == .max)
    }

    @Test(arguments: [
        Bad(text: "rbytes=1 wbytes=1 rios=1 wios=1\n", line: 1, message: "expected 'MAJ:MIN key=value …', found 'rbytes=1 wbytes=1 rios=1 wios=1'"),
        Bad(text: "8:0 rbytes=1 wbytes=1 rios=1 wios=1\n8 rbytes=1\n", line: 2, message: "expected 'MAJ:MIN key=value …', found '8 rbytes=1'"),
        Bad(text: "8:x rbytes=1\n", line: 1, message: "expected 'MAJ:MIN key=value …', found '8:x rbytes=1'"),
        Bad(text: "8:0 rbytes=1 wbytes 1 rios=1 wios=1\n", line: 1, message: "8:0: expected 'key=value', found 'wbytes'"),
        Bad(text: "8:0 =1\n", line: 1, message: "8:0: expected 'key=value', found '=1'"),
        Bad(text: "8:0 rbytes=-1 wbytes=1 rios=1 wios=1\n", line: 1, message: "8:0: rbytes: expected an unsigned integer, found 'rbytes=-1'"),
        Bad(text: "8:0 rbytes=+1 wbytes=1 rios=1 wios=1\n", line: 1, message: "8:0: rbytes: expected an unsigned integer, found 'rbytes=+1'"),
        Bad(text: "8:0 rbytes=1 wbytes= rios=1 wios=1\n", line: 1, message: "8:0: wbytes: expected an unsigned integer, found 'wbytes='"),
        Bad(text: "8:0 rbytes=1 wbytes=1 rios=1\n", line: 1, message: "8:0: missing wios"),
        Bad(text: "8:0\n", line: 1, message: "8:0: missing rbytes"),
        Bad(
            text: "8:0 rbytes=18446744073709551615 wbytes=0 rios=0 wios=0\n8:16 rbytes=1 wbytes=0 rios=0 wios=0\n", line: 2,
            message: "the sum over devices exceeds 2^64"),
    ])
    func ioStatRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.ioStat(bad.text, file: "io.stat") }
        #expect(error == ParseError(file: "io.stat", line: bad.line, bad.message))
    }

    @Test func blkioSumsReadAndWriteOverDevices() throws {
        let text = """
            8:16 Read 4096
            8:16 Write 8192
            8:16 Sync 8192
            8:16 Async 4096
            8:16 Discard 0
            8:16 Total 12288
            8:0 Read 100
            8:0 Write 200
            8:0 Total 300
            8:0 Future 7
            Total 12588
            """
        let counts = try CgroupParsing.blkio(text, file: "blkio.throttle.io_service_bytes")
        #expect(counts.read == 4196 && counts.write == 8392 && counts.devices == 2)
        // A group that has done no IO, or a host that does not count: no device.
        let empty = try CgroupParsing.blkio("Total 0\n", file: "blkio.throttle.io_service_bytes")
        #expect(empty.read == 0 && empty.write == 0 && empty.devices == 0)
        #expect(try CgroupParsing.blkio("", file: "blkio.io_service_bytes").devices == 0)
    }

    @Test(arguments: [
        Bad(text: "8:0 Read\n", line: 1, message: "expected 'MAJ:MIN operation value' or 'Total value', found '8:0 Read'"),
        Bad(text: "Total 0\nsda Read 1\n", line: 2, message: "expected 'MAJ:MIN operation value' or 'Total value', found 'sda Read 1'"),
        Bad(text: "8:0 Read 1 2\n", line: 1, message: "expected 'MAJ:MIN operation value' or 'Total value', found '8:0 Read 1 2'"),
        Bad(text: "8:0 Write -4\n", line: 1, message: "8:0 Write: expected an unsigned integer, found '-4'"),
        Bad(text: "8:0 Write 18446744073709551616\n", line: 1, message: "8:0 Write: expected an unsigned integer, found '18446744073709551616'"),
        Bad(text: "Total many\n", line: 1, message: "Total: expected an unsigned integer, found 'many'"),
        Bad(text: "8:0 Read 18446744073709551615\n8:16 Read 1\n", line: 2, message: "the sum over devices exceeds 2^64"),
    ])
    func blkioRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.blkio(bad.text, file: "blkio.throttle.io_serviced") }
        #expect(error == ParseError(file: "blkio.throttle.io_serviced", line: bad.line, bad.message))
    }
}
