#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Knows how much of the current thread's stack is left, so deeply nested SQL gives an error instead of a crash.
///
/// Debug builds use many kilobytes of stack per nesting level and callers may run on 512 KB threads, so a fixed
/// depth limit alone is not enough.
enum StackGuard {
    /// Bytes kept free below the deepest point the parser may reach (more than one nesting level uses in debug builds).
    static let margin: UInt = 96 * 1024

    /// The lowest stack address the parser may use on this thread, or nil if the platform cannot tell.
    static func lowestSafeAddress() -> UInt? {
        #if canImport(Glibc)
        guard let getAttributes = StackGuard.pthreadGetattrNP else { return nil }
        var attributes = pthread_attr_t()
        guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base else { return nil }
        return UInt(bitPattern: base) + margin
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = UInt(pthread_get_stacksize_np(pthread_self()))
        return top - size + margin
        #else
        return nil
        #endif
    }

    #if canImport(Glibc)
    private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

    /// glibc's `pthread_getattr_np` (a GNU extension the Swift Glibc module does not expose), looked up once.
    private static let pthreadGetattrNP: GetAttributes? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pthread_getattr_np") else { return nil }
        return unsafeBitCast(symbol, to: GetAttributes.self)
    }()
    #endif

    /// The address of a local variable: where the stack currently ends (stacks grow downwards).
    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
