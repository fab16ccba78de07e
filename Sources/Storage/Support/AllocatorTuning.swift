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

    /// Gives memory freed inside malloc's heaps back to the operating system (`malloc_trim(0)`). The thresholds
    /// above keep up to 256 MB of freed memory per arena, which is right between morsels but not after an operator
    /// spilled to stay under `memory_limit` (the spilling operators call this after writing a run) or after a cancelled
    /// query (the shell calls it, so its RSS falls back to what it was). No-op elsewhere.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        guard let trim = mallocTrim else { return }
        _ = trim(0)
        #endif
    }

    #if canImport(Glibc)
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    /// malloc_trim, looked up at run time for the same reason as mallopt.
    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()
    #endif

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
}
