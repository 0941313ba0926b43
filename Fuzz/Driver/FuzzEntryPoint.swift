/// libFuzzer's callback: hands one input to the selected target.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTargets.selected.run(bytes)
    return 0
}

/// The symbol libFuzzer's own main calls. Main here is ours (it calls `LLVMFuzzerRunDriver`),
/// but the linker still loads libFuzzer's main object, which refers to this function.
@_cdecl("LLVMFuzzerTestOneInput")
func llvmFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOneInput(data, size)
}
