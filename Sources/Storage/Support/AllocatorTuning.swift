#if canImport(Glibc)
import Glibc
#endif

/// Process-wide tuning of glibc malloc for column-at-a-time execution.
///
/// Scans allocate and free vectors of about a megabyte per column per morsel. With glibc's defaults those
/// go through `mmap`/`munmap` (or heap trimming) every time, and each fresh page costs a page fault and
/// zeroing in the kernel (a quarter of the CPU time of a warm aggregation in profiles). Raising the mmap
/// and trim thresholds keeps the freed memory in the process for reuse. Applied once; no-op elsewhere.
public enum AllocatorTuning {
    /// Applies the tuning (idempotent). `TARN_MALLOC_TUNING=0` leaves the allocator alone.
    public static func apply() { _ = applied }

    private static let applied: Bool = {
        #if canImport(Glibc)
        if let v = getenv("TARN_MALLOC_TUNING"), String(cString: v) == "0" { return false }
        // mallopt is declared in <malloc.h>, which the Glibc module does not export: look it up at run time.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 64 << 20)
        _ = mallopt(trimThreshold, 256 << 20)
        return true
        #else
        return false
        #endif
    }()

    /// Gives free heap memory back to the operating system (glibc's `malloc_trim(0)`): the trim threshold above keeps
    /// up to 256 MB otherwise, so after a cancelled query the shell calls this and its RSS falls back to what it was.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        typealias MallocTrim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
