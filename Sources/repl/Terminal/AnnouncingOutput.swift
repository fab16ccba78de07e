/// An `OutputChannel` that calls `willWrite` before its first write (so the shell stops drawing its progress bar
/// once a result starts to appear, and not before).
struct AnnouncingOutput: TextOutputStream {
    let channel: OutputChannel
    private var willWrite: (() -> Void)?

    init(channel: OutputChannel, willWrite: @escaping () -> Void) {
        self.channel = channel
        self.willWrite = willWrite
    }

    mutating func write(_ string: String) {
        if let announce = willWrite {
            willWrite = nil
            announce()
        }
        channel.write(string)
    }
}
