import Testing
import TestSupport
@testable import ScaleAgent

@Suite struct NVMeCollectorTests {
    @Test func infoWithPaddingTrimmed() throws {
        var builder = MetricsBuilder()
        try NVMeCollector(paths: Fixtures.paths).collect(into: &builder)
        let info = builder.build().first?.samples.first
        #expect(info?.labels["model"] == "Samsung SSD 970 PRO 512GB")
        #expect(info?.labels["serial"] == "S3XXNX0K123456")
        #expect(info?.labels["state"] == "live")
    }

    @Test func aControllerWithoutItsAttributesFails() throws {
        let directory = TestDirectory(prefix: "scalewatch-nvme")
        defer { directory.remove() }
        try directory.write("class/nvme/nvme0/model", "X\n")
        var builder = MetricsBuilder()
        let error = #expect(throws: FileReadError.self) { try NVMeCollector(paths: HostPaths(sysfs: directory.path)).collect(into: &builder) }
        #expect(error?.path.hasSuffix("nvme0/firmware_rev") == true)
    }
}
